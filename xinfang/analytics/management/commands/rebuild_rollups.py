from datetime import date

from django.core.management.base import BaseCommand, CommandError

from xinfang.analytics.rollups import rebuild_rollups


class Command(BaseCommand):
    help = "按信访件数据重建指定日期范围内的每日统计汇总"

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("start", help="开始日期，格式 YYYY-MM-DD")
        parser.add_argument("end", help="结束日期，格式 YYYY-MM-DD")

    def handle(self, *args, **options) -> None:
        try:
            start, end = date.fromisoformat(options["start"]), date.fromisoformat(options["end"])
        except ValueError as exc:
            raise CommandError("日期格式应为 YYYY-MM-DD") from exc
        if start > end:
            raise CommandError("开始日期不能晚于结束日期")
        rows = rebuild_rollups(start, end)
        self.stdout.write(f"已重建 {start} 至 {end} 的每日统计汇总，共 {rows} 行")
