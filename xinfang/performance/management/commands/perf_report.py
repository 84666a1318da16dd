"""manage.py perf_report --year YYYY [--kind department|project] [--project CODE] --out DIR

Writes the self-evaluation report (.docx) and its 附表 (.xlsx) with the same service the page uses.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xinfang.performance.models import Evaluation
from xinfang.performance.reports import generate, report_filename


class Command(BaseCommand):
    help = "生成部门整体（或项目）支出绩效自评报告（.docx）及附表（.xlsx）"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="年度，如 2025")
        parser.add_argument("--kind", choices=("department", "project"), default="department")
        parser.add_argument("--project", default="", help="项目编码（--kind project 时可选，缺省为全部项目）")
        parser.add_argument("--out", required=True, help="输出目录")

    def handle(self, *args, **options):
        qs = Evaluation.objects.filter(year__year=options["year"]).select_related("year", "project")
        if options["kind"] == "department":
            qs = qs.filter(project__isnull=True)
        else:
            qs = qs.filter(project__isnull=False)
            if options["project"]:
                qs = qs.filter(project__code=options["project"])
        evaluations = list(qs.order_by("project__code"))
        if not evaluations:
            owner = "部门整体" if options["kind"] == "department" else "项目"
            raise CommandError(f"{options['year']}年度没有{owner}支出绩效自评，请先在页面上建立")
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        for evaluation in evaluations:
            docx, xlsx, data = generate(evaluation)
            for ext, content in (("docx", docx), ("xlsx", xlsx)):
                path = out / report_filename(evaluation, ext)
                path.write_bytes(content)
                self.stdout.write(str(path))
            total = (
                "不计总分"
                if data.result.total is None
                else f"总分 {data.result.total}，等级 {data.result.grade}"
            )
            self.stdout.write(f"{evaluation}：{total}，校核发现 {len(data.findings)} 项（见报告附录）")
