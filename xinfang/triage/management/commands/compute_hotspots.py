"""manage.py compute_hotspots [--days 30] | --csv hotspot_messages.csv — the daily hot-spot job."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from xinfang.triage import hotspot_service
from xinfang.triage.errors import TriageError
from xinfang.triage.hotspots import find_hotspots


class Command(BaseCommand):
    help = "按文本聚类近期信访件，按人数、增长和关注度排序生成热点（--csv 时只打印，不入库）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=30, help="时间窗口（天）")
        parser.add_argument("--top", type=int, default=10)
        parser.add_argument("--csv", help="留言板导出文件（hotspot_messages.csv 格式），仅打印结果")

    def handle(self, *args, **opts) -> None:
        if opts["days"] < 1:
            raise CommandError("时间窗口（--days）必须为正整数")
        if opts["csv"]:
            try:
                msgs = hotspot_service.board_messages(opts["csv"])
            except TriageError as exc:
                raise CommandError(exc.message) from exc
            for i, s in enumerate(find_hotspots(msgs, top=opts["top"]), 1):
                self.stdout.write(f"{i}. {hotspot_service.describe(s)}")
            return
        spots = hotspot_service.compute_case_hotspots(days=opts["days"], top=opts["top"])
        for i, s in enumerate(spots, 1):
            self.stdout.write(
                f"{i}. {s.title}  人数 {s.size}  得分 {s.score}{'  【预警】' if s.is_warning else ''}"
            )
        self.stdout.write(f"共 {len(spots)} 个热点")
