from django.core.management.base import BaseCommand, CommandError

from xinfang.core.backup import VENDOR_NAMES, BackupError, create_backup


class Command(BaseCommand):
    # No system checks: they import every view (seconds), and a broken page must not stop a nightly backup.
    requires_system_checks = []
    help = "备份数据库、附件等媒体文件和审计锚点文件，生成一个 .tar.gz 备份文件"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "target", help="备份目录（自动命名为 xinfang-backup-日期-时间.tar.gz），或以 .tar.gz 结尾的文件名"
        )

    def handle(self, *args, **options) -> None:
        try:
            result = create_backup(options["target"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        m = result.manifest
        counts, head = m["counts"], m["audit_head"] or {"hash": "（无）"}
        self.stdout.write(f"已备份到 {result.path}（{_size(result.size)}）")
        self.stdout.write(
            f"数据库：{VENDOR_NAMES[m['database_vendor']]}；信访事项 {counts['cases']} 件，"
            f"文书 {counts['case_documents']} 份，附件 {counts['attachments']} 个，审计事件 {counts['audit_events']} 条"
        )
        self.stdout.write(
            f"媒体文件 {m['files']['media']} 个；审计锚点文件：{'已包含' if m['audit_anchor'] else '无'}"
            + (f"；分类模型文件 {m['files']['triage']} 个" if m["files"]["triage"] else "")
        )
        self.stdout.write(f"审计链头：{head['hash']}")


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"
