import json

from django.core.management.base import BaseCommand, CommandError

from xinfang.analytics.params import parse_query
from xinfang.analytics.stats import compute_stats
from xinfang.analytics.tables import figure_rows
from xinfang.core.errors import ValidationFailed


class Command(BaseCommand):
    help = "统计指标：与 GET /api/stats/ 相同的数据，默认输出中文表格，--format json 输出 JSON"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--from", dest="start", required=True, help="开始日期 YYYY-MM-DD（含）")
        parser.add_argument("--to", dest="end", required=True, help="结束日期 YYYY-MM-DD（含）")
        parser.add_argument("--unit", help="单位 ID（含下级单位）")
        parser.add_argument("--category", help="内容分类 ID（含下级分类）")
        parser.add_argument("--format", choices=["table", "json"], default="table", help="输出格式")

    def handle(self, *args, **options) -> None:
        try:
            query = parse_query(options["start"], options["end"], options["unit"], options["category"])
        except ValidationFailed as exc:
            raise CommandError("；".join(m for msgs in exc.errors.values() for m in msgs)) from exc
        stats = compute_stats(query)
        if options["format"] == "json":
            self.stdout.write(json.dumps(stats, ensure_ascii=False, indent=2))
            return
        period = stats["period"]
        self.stdout.write(
            f"统计期间：{period['from']} 至 {period['to']}　单位：{period['unit_name']}　分类：{period['category_name']}"
        )
        for label, value, numerator, denominator in figure_rows(stats):
            detail = f"（{numerator} / {denominator}）" if denominator != "" else ""
            self.stdout.write(f"{label}\t{value}{detail}")
        for key in ("by_channel", "by_category", "by_nature", "by_place", "by_unit", "by_month"):
            self.stdout.write(f"\n{stats[key]['label']}")
            for row in stats[key]["value"]:
                self.stdout.write(f"  {row['label']}\t{row['count']}")
