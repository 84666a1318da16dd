from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Min

from xinfang.analytics import cohorts
from xinfang.analytics.rollups import rebuild_rollups
from xinfang.cases.models import Case
from xinfang.core import clock


class Command(BaseCommand):
    help = "按信访件数据重建统计汇总：统计口径汇总（全部信访件）与每日汇总（指定日期范围，缺省为全部）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("start", nargs="?", help="每日汇总开始日期，格式 YYYY-MM-DD")
        parser.add_argument("end", nargs="?", help="每日汇总结束日期，格式 YYYY-MM-DD")

    def handle(self, *args, **options) -> None:
        try:
            start = date.fromisoformat(options["start"]) if options["start"] else None
            end = date.fromisoformat(options["end"]) if options["end"] else None
        except ValueError as exc:
            raise CommandError("日期格式应为 YYYY-MM-DD") from exc
        if start is None:
            first = Case.objects.aggregate(first=Min("registered_at"))["first"]
            start = first.date() if first else clock.today()
        end = end or clock.today()
        if start > end:
            raise CommandError("开始日期不能晚于结束日期")
        rows = rebuild_rollups(start, end)
        self.stdout.write(f"已重建 {start} 至 {end} 的每日统计汇总，共 {rows} 行")
        self.stdout.write(f"已重建统计口径汇总（全部信访件），共 {cohorts.rebuild()} 行")
