"""manage.py supervise [--date YYYY-MM-DD] — run the daily supervision sweep for one day (idempotent)."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from xinfang.core import clock
from xinfang.supervision.sweep import sweep

LABELS = {
    "marks_written": "新增或更新的临期/超期标记",
    "marks_removed": "已解除的标记",
    "reminders": "提醒函",
    "urges": "督办函",
    "accountability_drafts": "问责建议函草稿（待领导审批）",
    "warnings_repeat": "重复信访预警",
    "warnings_collective": "集体访苗头预警",
    "warnings_risk_words": "扬言/极端言辞预警",
    "warnings_flags": "越级/进京预警",
    "warnings_hotspot": "热点预警",
}


class Command(BaseCommand):
    help = "督办巡查：标记各环节临期、超期事项，按督办阶梯发出提醒函、督办函，起草问责建议函，生成预警（同一天重复运行不会重复生成）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", metavar="YYYY-MM-DD", help="巡查日期（默认今天）")

    def handle(self, *args, **options) -> None:
        try:
            day = date.fromisoformat(options["date"]) if options["date"] else clock.today()
        except ValueError:
            raise CommandError("日期格式应为 YYYY-MM-DD") from None
        result = sweep(day)
        self.stdout.write(f"督办巡查（{day.isoformat()}）完成：")
        for key, label in LABELS.items():
            self.stdout.write(f"  {label}：{result.get(key, 0)}")
