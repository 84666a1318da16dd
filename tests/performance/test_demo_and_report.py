"""The demo year, and the report a bureau can submit after light editing (sections, one total, numbers)."""

import io
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from docx import Document
from openpyxl import load_workbook

from tests.factories import make_user
from xinfang.orgs.roles import Role
from xinfang.performance.demo import seed_performance_demo
from xinfang.performance.models import BudgetLine, Evaluation, ExecutionEntry, FiscalYear
from xinfang.performance.monitoring import monitor
from xinfang.performance.report_docx import section_headings
from xinfang.performance.reports import generate
from xinfang.performance.services import save_narrative

pytestmark = pytest.mark.django_db

REQUIRED_SECTIONS = [
    "部门（单位）基本情况", "部门职能", "机构设置及人员情况", "年度总体工作和重点工作任务", "部门整体收支情况",
    "绩效目标及完成情况", "项目自评覆盖率", "偏离原因", "存在问题及改进措施", "结果应用", "其他需要说明的情况",
    "附表",
]  # fmt: skip


def paragraphs(content: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(content)).paragraphs]


def tables_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    return "\n".join(" | ".join(c.text for c in r.cells) for t in doc.tables for r in t.rows)


@pytest.fixture
def demo(district):
    finance = make_user(Role.FINANCE, district.bureau, username="fin_demo")
    return seed_performance_demo(district.bureau, finance, 2024)


def test_demo_creates_a_working_year_and_is_idempotent(demo, district):
    fy = FiscalYear.objects.get(year=2024)
    assert fy.lines.count() == 5 and fy.projects.count() == 2 and ExecutionEntry.objects.count() == 60
    assert Evaluation.objects.count() == 2 and demo.indicators.count() == 7
    again = seed_performance_demo(district.bureau, make_user(Role.FINANCE, district.bureau), 2024)
    assert again.pk == demo.pk and BudgetLine.objects.count() == 5 and Evaluation.objects.count() == 2
    _, _, data = generate(demo)
    assert data.result.total is not None and data.result.grade == "优"
    assert not [f for f in data.findings if f.severity == "error"], data.findings
    december = monitor(fy, date(2024, 12, 31))[0]
    assert december.rate is not None and Decimal(90) < december.rate < Decimal(100)


def test_report_has_every_section_and_keeps_findings_out_of_problems(demo):
    save_narrative(demo, {"problems": "预算执行进度前低后高。"})
    demo.indicators.filter(level3="报送信访工作动态、信息及调研文章").update(deviation_reason="")
    docx, xlsx, data = generate(demo)
    text = paragraphs(docx)
    joined = "\n".join(text)
    for section in REQUIRED_SECTIONS:
        assert any(section in h for h in section_headings("department")), section
        assert section in joined, section
    problems = text[text.index("（一）存在的主要问题") + 1 : text.index("（二）改进措施")]
    assert problems == ["预算执行进度前低后高。"]  # people's text only
    appendix = joined[joined.index("附录：系统校核发现") :]
    assert "扣分未说明原因" in appendix and "deduction_without_reason" not in joined
    assert joined.count("自评总分") == 1 and joined.count("评价等级为") == 1
    assert "≥20名" in tables_text(docx) and "年度总体目标" in tables_text(docx)
    assert "填表人：fin_demo" in joined
    assert "一般公共预算财政拨款 801.12 万元，比上年决算数减少 42.38 万元，下降 5.02%" in joined
    assert "政府性基金预算财政拨款 3.00 万元，比上年决算数上年基数为 0，不可比" in joined
    assert "基本支出" in joined and "项目支出" in joined and "三公经费" in joined and "政府采购" in joined
    assert "按项目个数覆盖率 50.00%" in joined
    for name in (
        "预算执行率",
        "预算调整率",
        "结转结余率",
        "公用经费控制率",
        "三公经费控制率",
        "政府采购执行率",
    ):
        assert name in joined


def test_xlsx_stores_money_and_rates_as_numbers_with_formats_and_merged_headers(demo):
    _, xlsx, data = generate(demo)
    wb = load_workbook(io.BytesIO(xlsx))
    basic, table = wb["基础数据表"], wb["部门整体支出绩效自评表"]
    assert basic["A1"].value == "部门整体支出绩效评价基础数据表" and "A1:E1" in basic.merged_cells
    assert basic["E2"].value == "单位：万元" and "C3:E3" in basic.merged_cells
    numbers = [c for row in table.iter_rows() for c in row if isinstance(c.value, float | int)]
    assert numbers and all(c.number_format in ("#,##0.00", "0.00%", "0.00", "0") for c in numbers)
    budget_row = [c.value for c in table[5][1:7]]
    assert all(isinstance(v, float | int) for v in budget_row), budget_row
    assert (
        table["F5"].number_format == "0.00%"
        and 0.9 < table["F5"].value < 1
        and table["A5"].value == "年度资金总额"
    )
    labels = [table.cell(row=r, column=1).value for r in range(6, 11)]
    assert labels == ["其中：一般公共预算财政拨款", "基本支出", "项目支出", None, "年度总体目标"], labels
    totals = [row for row in table.iter_rows(values_only=True) if row[0] == "总分"]
    assert (
        len(totals) == 1
        and totals[0][6] == float(data.result.total)
        and totals[0][7] == f"等级：{data.result.grade}"
    )
    assert any("填表人" in str(c.value) for row in table.iter_rows() for c in row if c.value)


def test_perf_report_command_writes_both_files(demo, tmp_path):
    out = StringIO()
    call_command("perf_report", "--year", "2024", "--out", str(tmp_path), stdout=out)
    files = sorted(p.suffix for p in tmp_path.iterdir())
    assert files == [".docx", ".xlsx"] and "等级 优" in out.getvalue()
    call_command(
        "perf_report", "--year", "2024", "--kind", "project", "--out", str(tmp_path / "p"), stdout=out
    )
    assert len(list((tmp_path / "p").iterdir())) == 2


def test_evaluation_and_year_pages_use_a_bounded_number_of_queries(
    demo, client, district, django_assert_max_num_queries
):
    client.force_login(make_user(Role.AUDITOR, district.bureau))
    with django_assert_max_num_queries(30):
        page = client.get(f"/performance/evaluations/{demo.pk}/").content.decode()
    assert "共性指标" in page and "保存</button>" not in page
    with django_assert_max_num_queries(15):
        assert client.get("/performance/years/2024/monitoring/?as_of=2024-06-30").status_code == 200
