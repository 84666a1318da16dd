"""Imports that never lose money: voucher details, corrected amounts, dates as finance staff type them."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook

from xinfang.core.dates import parse_date
from xinfang.performance.importers import COLUMNS, ImportRejected, import_xlsx
from xinfang.performance.models import BudgetAdjustment, BudgetLine, ExecutionEntry, FiscalYear

pytestmark = pytest.mark.django_db


def xlsx(header, rows) -> bytes:
    wb = Workbook()
    wb.active.append(header)
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
def year():
    fy = FiscalYear.objects.create(year=2025)
    BudgetLine.objects.create(year=fy, code="B1", name="办公费", fund_source="general", nature="public",
                              initial_amount=Decimal("300000"))  # fmt: skip
    return fy


OLD_HEADER = [
    "预算指标编码",
    "支付日期",
    "金额（元）",
    "支付凭证号",
    "支付方式",
]  # the template before 明细序号


def test_two_details_under_one_voucher_are_both_kept(year):
    content = xlsx(
        OLD_HEADER, [["B1", "2025-03-01", "30000", "V1", ""], ["B1", "2025-03-01", "20000", "V1", ""]]
    )
    outcome = import_xlsx("executions", year, content)
    assert outcome.created == 2
    assert sum(e.amount for e in ExecutionEntry.objects.all()) == Decimal("50000")  # was 30,000
    assert list(ExecutionEntry.objects.order_by("detail_no").values_list("detail_no", flat=True)) == [1, 2]


def test_corrected_amount_is_updated_and_reported(year):
    import_xlsx("executions", year, xlsx(COLUMNS["executions"], [["B1", "2025-03-01", "30000", "V1", "", 1]]))
    outcome = import_xlsx(
        "executions",
        year,
        xlsx(COLUMNS["executions"], [["B1", "2025-03-01", "35000", "V1", "国库集中支付", 1]]),
    )
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 1, 0)
    assert ExecutionEntry.objects.get().amount == Decimal("35000")
    assert "凭证“V1”（明细1）金额（元） 30,000.00 → 35,000.00" in outcome.changes[0]


def test_corrected_adjustment_with_a_document_number_replaces_the_old_amount(year):
    header = COLUMNS["adjustments"]
    import_xlsx(
        "adjustments", year, xlsx(header, [["B1", "2025-05-01", "100000", "追加", "白财〔2025〕1号"]])
    )
    outcome = import_xlsx(
        "adjustments", year, xlsx(header, [["B1", "2025-05-01", "120000", "追加", "白财〔2025〕1号"]])
    )
    assert outcome.updated == 1 and BudgetAdjustment.objects.get().amount == Decimal("120000")


def test_repeated_detail_number_is_refused(year):
    content = xlsx(
        COLUMNS["executions"],
        [["B1", "2025-03-01", "1", "V1", "", 1], ["B1", "2025-03-02", "2", "V1", "", 1]],
    )
    with pytest.raises(ImportRejected) as exc:
        import_xlsx("executions", year, content)
    assert exc.value.errors == ["第3行：凭证“V1”的明细序号 1 与第2行重复"]


@pytest.mark.parametrize(
    "raw", ["2025-03-01", "2025/3/1", "2025.3.1", "2025年3月1日", "2025年03月01日", "20250301", 45717, 45717.0,
            "45717", datetime(2025, 3, 1, 0, 0), date(2025, 3, 1), " 2025 / 3 / 1 "],
)  # fmt: skip
def test_dates_in_the_formats_finance_staff_type(raw):
    assert parse_date(raw) == date(2025, 3, 1)


def test_bad_date_is_a_chinese_row_error(year):
    with pytest.raises(ImportRejected) as exc:
        import_xlsx("executions", year, xlsx(OLD_HEADER, [["B1", "2025年13月1日", "1", "V1", ""]]))
    assert "第2行：“支付日期”的值“2025年13月1日”不是有效日期" in exc.value.errors[0]


def test_excel_date_cells_import(year):
    content = xlsx(OLD_HEADER, [["B1", 45717, "1", "V1", ""], ["B1", "2025/3/2", "1", "V2", ""]])
    import_xlsx("executions", year, content)
    assert sorted(ExecutionEntry.objects.values_list("date", flat=True)) == [
        date(2025, 3, 1),
        date(2025, 3, 2),
    ]
