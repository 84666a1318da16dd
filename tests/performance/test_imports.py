import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from xinfang.audit.models import AuditEvent
from xinfang.performance.importers import COLUMNS, ImportRejected, import_xlsx, template
from xinfang.performance.models import (
    BudgetAdjustment,
    BudgetLine,
    ExecutionEntry,
    FiscalYear,
    ImportBatch,
    Project,
)
from xinfang.performance.selectors import line_totals

pytestmark = pytest.mark.django_db


def xlsx(kind, rows) -> bytes:
    wb = Workbook()
    wb.active.append(COLUMNS[kind])
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


LINES = [
    ["B001", "在职人员工资", "一般公共预算财政拨款", "基本支出-人员经费", "一般公共服务支出", "工资福利支出", None, None, "5600000", None],
    ["B002", "办公费", "general", "public", "", "商品和服务支出", None, None, "300000.50", "0"],
    ["P001", "信访工作经费", "一般公共预算财政拨款", "项目支出", "", "", "XM01", "信访工作经费", 600000, None],
]  # fmt: skip


@pytest.fixture
def year(db):
    return FiscalYear.objects.create(year=2025)


def test_template_has_the_expected_header():
    ws = load_workbook(io.BytesIO(template("executions"))).active
    assert [c.value for c in ws[1]] == COLUMNS["executions"]


def test_budget_lines_import_and_reimport_is_idempotent(year):
    content = xlsx("budget_lines", LINES)
    outcome = import_xlsx("budget_lines", year, content, filename="lines.xlsx")
    assert (outcome.rows, outcome.created) == (3, 3)
    assert BudgetLine.objects.get(code="B002").initial_amount == Decimal("300000.50")
    assert BudgetLine.objects.get(code="P001").project == Project.objects.get(code="XM01")
    again = import_xlsx("budget_lines", year, content)
    assert again.already_imported and again.created == 0
    # Same rows in a different file (another digest): nothing changed, nothing duplicated, nothing "updated".
    third = import_xlsx("budget_lines", year, xlsx("budget_lines", LINES + [[None] * 10]))
    assert (third.created, third.updated, third.unchanged) == (0, 0, 3)
    assert BudgetLine.objects.count() == 3 and ImportBatch.objects.count() == 2
    assert AuditEvent.objects.filter(action="performance.import").count() == 2


def test_one_bad_row_imports_nothing_and_names_the_row(year):
    bad = LINES + [["B003", "差旅费", "财政", "基本支出-公用经费", "", "", None, None, "12.345", None]]
    with pytest.raises(ImportRejected) as exc:
        import_xlsx("budget_lines", year, xlsx("budget_lines", bad))
    assert any(e.startswith("第5行：资金来源“财政”无效") for e in exc.value.errors)
    assert any(e.startswith("第5行：“年初预算数（元）”最多保留两位小数") for e in exc.value.errors)
    assert BudgetLine.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_missing_project_code_and_duplicates_are_rejected(year):
    rows = [
        LINES[0],
        LINES[0],
        ["P9", "x", "一般公共预算财政拨款", "项目支出", "", "", None, None, "1", None],
    ]
    with pytest.raises(ImportRejected) as exc:
        import_xlsx("budget_lines", year, xlsx("budget_lines", rows))
    assert "第3行：预算指标编码“B001”与第2行重复" in exc.value.errors
    assert "第4行：项目支出必须填写“项目编码”" in exc.value.errors


def test_adjustments_and_executions(year):
    import_xlsx("budget_lines", year, xlsx("budget_lines", LINES))
    adj = xlsx("adjustments", [["P001", "2025-06-30", "150000", "追加维稳经费", "区财〔2025〕12号"],
                               ["P001", "2025-09-01", "-30000", "调减会议费", ""]])  # fmt: skip
    assert import_xlsx("adjustments", year, adj).created == 2
    assert import_xlsx("adjustments", year, adj).already_imported
    line = BudgetLine.objects.get(code="P001")
    assert line_totals(BudgetLine.objects.filter(pk=line.pk), date(2025, 12, 31))[
        line.pk
    ].full_year == Decimal("720000")
    ex = xlsx("executions", [["P001", "2025-03-01", "100000", "V001", "国库集中支付"],
                             ["P001", "2025-07-01", "200000", "V002", ""]])  # fmt: skip
    import_xlsx("executions", year, ex)
    assert ExecutionEntry.objects.count() == 2 and BudgetAdjustment.objects.count() == 2
    half_year = line_totals(BudgetLine.objects.filter(pk=line.pk), date(2025, 6, 30))[line.pk]
    assert half_year.executed == Decimal("100000")


def test_execution_rows_need_an_existing_line_and_a_date_in_the_year(year):
    ex = xlsx("executions", [["NOPE", "2025-03-01", "1", "V1", ""], ["NOPE", "2024-12-31", "x", "V2", ""]])
    with pytest.raises(ImportRejected) as exc:
        import_xlsx("executions", year, ex)
    errors = exc.value.errors
    assert "第2行：预算指标编码“NOPE”在2025年度不存在，请先导入预算指标" in errors
    assert any(e.startswith("第3行：“金额（元）”的值“x”不是有效金额") for e in errors)
    assert "第3行：日期 2024-12-31 不在2025年度内" in errors
    assert ExecutionEntry.objects.count() == 0


def test_wrong_header_or_not_an_xlsx(year):
    with pytest.raises(ImportRejected, match="缺少列"):
        import_xlsx("executions", year, xlsx("adjustments", [["a", "2025-01-01", "1", "r", ""]]))
    with pytest.raises(ImportRejected, match="不是有效的 .xlsx"):
        import_xlsx("executions", year, b"not a workbook")


def test_imported_text_is_normalised(year):
    # A worksheet cannot hold control characters, but decomposed accents and CRLF come through.
    row = ["B003", " Cafe\u0301 办公费\r\n二期 ", "general", "public", "", "", None, None, "100", None]
    import_xlsx("budget_lines", year, xlsx("budget_lines", [row]))
    assert BudgetLine.objects.get(code="B003").name == "Caf\u00e9 办公费\n二期"
