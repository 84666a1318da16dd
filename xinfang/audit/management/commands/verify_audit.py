from django.core.management.base import BaseCommand, CommandError

from xinfang.audit.services import verify_chain


class Command(BaseCommand):
    help = "校验审计日志哈希链"

    def handle(self, *args, **options) -> None:
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"审计链在第 {report.broken_at} 条记录处断开：{report.reason}（已校验 {report.checked} 条）"
            )
        self.stdout.write(f"审计链完整：共校验 {report.checked} 条记录")
