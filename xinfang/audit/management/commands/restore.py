from django.core.management.base import BaseCommand, CommandError

from xinfang.audit.services import record, verify_chain
from xinfang.core.backup import (
    COUNT_LABELS,
    VENDOR_NAMES,
    BackupError,
    case_count,
    check_target,
    read_manifest,
    restore_backup,
)

ANCHOR_MESSAGES = {
    "restored": "已恢复审计锚点文件",
    "removed": "备份中没有审计锚点文件，已删除原有的锚点文件",
    "none": "备份中没有审计锚点文件",
    "disabled": "未启用审计锚点文件（XINFANG_AUDIT_ANCHOR_FILE 为空），跳过",
}


class Command(BaseCommand):
    # No system checks: they import every view (seconds), and a broken page must not stop a restore.
    requires_system_checks = []
    help = "从 manage.py backup 生成的备份文件恢复数据库、媒体文件和审计锚点文件，并校验审计链"

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="备份文件（.tar.gz）")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="确认覆盖：目标数据库已有信访事项时必须给出，其全部数据将被备份内容替换",
        )

    def handle(self, *args, **options) -> None:
        try:
            manifest = read_manifest(options["file"])
            check_target(manifest)
            existing = case_count()
            if existing and not options["yes"]:
                raise CommandError(
                    f"目标数据库已有 {existing} 件信访事项，恢复将用备份内容覆盖全部数据（数据库、附件、审计锚点）。"
                    "确认要恢复，请加 --yes 重新运行。"
                )
            counts = manifest["counts"]
            self.stdout.write(
                f"备份创建于 {manifest['created_at']}，{VENDOR_NAMES[manifest['database_vendor']]} 数据库，"
                f"信访事项 {counts['cases']} 件，审计事件 {counts['audit_events']} 条"
            )
            result = restore_backup(options["file"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc

        self.stdout.write("已恢复数据库")
        self.stdout.write(f"已恢复媒体文件 {result.media_files} 个")
        if result.triage_files:
            self.stdout.write(f"已恢复分类模型文件 {result.triage_files} 个")
        self.stdout.write(ANCHOR_MESSAGES[result.anchor])
        if result.pending_migrations:
            self.stdout.write(
                f"提示：备份来自较早的版本，还有 {result.pending_migrations} 个数据库迁移未应用，请运行 manage.py migrate"
            )
        if result.counts != counts:
            differ = "，".join(
                f"{COUNT_LABELS.get(k, k)}：备份中 {counts.get(k)}，恢复后 {v}"
                for k, v in result.counts.items()
                if counts.get(k) != v
            )
            raise CommandError(f"恢复后的数据与备份清单不一致：{differ}")

        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"数据已恢复，但审计链校验失败：在第 {report.broken_at} 条记录处断开：{report.reason}"
                f"（已校验 {report.checked} 条）。请勿继续使用，先核查备份文件的来源。"
            )
        self.stdout.write(f"审计链完整：共校验 {report.checked} 条记录")
        # The restore itself goes on the record: whoever reads the trail later sees why events stop and resume.
        record(
            "system.restore",
            object_type="backup",
            object_id=manifest["created_at"],
            after={"created_at": manifest["created_at"], "counts": counts, "head": manifest["audit_head"]},
        )
        self.stdout.write("恢复完成（已在审计日志中记录本次恢复）")
