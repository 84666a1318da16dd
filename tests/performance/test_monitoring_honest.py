"""Monitoring that does not mislead: adjustments by date, carry-over in the base, over-spending, zero spending."""

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.factories import make_user
from xinfang.orgs.roles import Role
from xinfang.performance.models import BudgetAdjustment, BudgetLine, ExecutionEntry, FiscalYear
from xinfang.performance.monitoring import monitor

pytestmark = pytest.mark.django_db


def line(year, code="A", initial="3000000", carry="0"):
    return BudgetLine.objects.create(year=year, code=code, name=f"经费{code}", fund_source="general",
                                     nature="public", initial_amount=Decimal(initial), carry_in=Decimal(carry))  # fmt: skip


def test_june_view_counts_only_adjustments_made_by_june():
    year = FiscalYear.objects.create(year=2025)
    a = line(year)
    ExecutionEntry.objects.create(line=a, date=date(2025, 5, 1), amount=Decimal("500000"), voucher_ref="1")
    BudgetAdjustment.objects.create(line=a, date=date(2025, 8, 15), amount=Decimal("-500000"), reason="调减")
    BudgetAdjustment.objects.create(line=a, date=date(2025, 11, 3), amount=Decimal("-250000"), reason="调减")
    june = monitor(year, date(2025, 6, 30))[0]
    assert june.rate == Decimal("16.67") and june.full_year == Decimal("3000000")  # not 22.22 over 225 万
    december = monitor(year, date(2025, 12, 31))[0]
    assert december.rate == Decimal("22.22") and december.adjustments == Decimal("-750000")


def test_carry_over_is_in_the_base_and_shown(client, district):
    year = FiscalYear.objects.create(year=2025)
    a = line(year, initial="900000", carry="100000")
    ExecutionEntry.objects.create(line=a, date=date(2025, 3, 1), amount=Decimal("500000"), voucher_ref="1")
    row = monitor(year, date(2025, 6, 30))[0]
    assert (row.available, row.carry_in, row.rate) == (
        Decimal("1000000"),
        Decimal("100000"),
        Decimal("50.00"),
    )
    client.force_login(make_user(Role.FINANCE, district.bureau))
    page = client.get("/performance/years/2025/monitoring/?as_of=2025-06-30").content.decode()
    assert "上年结转" in page and "10.00" in page and "100.00" in page


def test_spending_above_budget_is_flagged():
    year = FiscalYear.objects.create(year=2025)
    a = line(year, initial="100000")
    ExecutionEntry.objects.create(line=a, date=date(2025, 3, 1), amount=Decimal("120000"), voucher_ref="1")
    row = monitor(year, date(2025, 6, 30))[-1]
    assert row.level == "over" and row.level_label == "超预算支出" and row.rate == Decimal("120.00")
    assert "超过可用预算 2.00 万元" in row.notes[0]


def test_zero_execution_is_0_percent_and_warned(client, district):
    year = FiscalYear.objects.create(year=2025)
    line(year, code="A")
    ExecutionEntry.objects.create(line=line(year, code="B"), date=date(2025, 1, 5), amount=Decimal("2900000"),
                                  voucher_ref="1")  # fmt: skip
    rows = monitor(year, date(2025, 1, 31))
    a = rows[1]
    assert a.rate == Decimal("0.00") and a.notes == ("尚未执行",) and a.level != "normal"
    assert rows[2].level == "normal"
    client.force_login(make_user(Role.FINANCE, district.bureau))
    page = client.get("/performance/years/2025/monitoring/?as_of=2025-03-31").content.decode()
    assert "0.00%" in page and "—%" not in page and "尚未执行" in page
    assert 'class="level-red"' in page and 'class="level-normal"' in page and "#f8d7da" in page
    export = client.get("/performance/years/2025/monitoring/?as_of=2025-03-31&export=xlsx")
    ws = load_workbook(io.BytesIO(export.content)).active
    assert ws["G3"].value == 0 and ws["G3"].number_format == "0.00" and ws["K3"].value == "尚未执行"
