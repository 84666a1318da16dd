from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xinfang.analytics import report
from xinfang.analytics.params import parse_query
from xinfang.core.errors import ValidationFailed


class Command(BaseCommand):
    help = "生成月度信访形势研判报告（.docx）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--month", required=True, help="月份 YYYY-MM")
        parser.add_argument("--out", required=True, help="输出目录")
        parser.add_argument("--unit", help="单位 ID（含下级单位），缺省为全区")

    def handle(self, *args, **options) -> None:
        try:
            first = report.parse_month(options["month"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        try:
            scope = parse_query(first.isoformat(), first.isoformat(), options["unit"]).scope
        except ValidationFailed as exc:
            raise CommandError("；".join(m for msgs in exc.errors.values() for m in msgs)) from exc
        out_dir = Path(options["out"])
        out_dir.mkdir(parents=True, exist_ok=True)
        path = out_dir / report.filename(first)
        with path.open("wb") as out:
            report.build(first, scope, out)
        self.stdout.write(f"已生成：{path}")
