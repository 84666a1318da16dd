from datetime import date
from decimal import Decimal

import pytest

from xinfang.performance.models import BudgetLine, Evaluation, ExecutionEntry, FiscalYear, Indicator, Project
from xinfang.performance.monitoring import indicator_progress, monitor, time_progress, warning_level


@pytest.mark.parametrize(
    "as_of,mode,expected",
    [
        (date(2023, 5, 31), "month", "41.67"),  # Jiangmen notice: end of May = 5/12
        (date(2023, 6, 15), "month", "41.67"),  # June not yet complete
        (date(2023, 6, 30), "month", "50.00"),
        (date(2023, 6, 30), "day", "49.59"),  # 181/365
        (date(2024, 12, 31), "day", "100.00"),
        (date(2024, 1, 1), "day", "0.27"),  # 1/366
    ],
)
def test_time_progress(as_of, mode, expected):
    assert str(time_progress(as_of, mode)) == expected


def test_warning_tiers_and_override(settings):
    assert warning_level(Decimal("4.99"))[0] == "normal"
    assert warning_level(Decimal("5.00"))[0] == "yellow"
    assert warning_level(Decimal("12"))[0] == "red"
    assert warning_level(Decimal("-20"))[0] == "normal"  # ahead of schedule
    settings.XINFANG = {**settings.XINFANG, "PERF_WARNING_TIERS": [[3, "red", "红色预警"]]}
    assert warning_level(Decimal("3"))[1] == "红色预警"


@pytest.mark.django_db
def test_worked_example_884_53_executed_380_by_30_june():
    year = FiscalYear.objects.create(year=2023)
    project = Project.objects.create(year=year, code="XM1", name="信访工作经费")
    a = BudgetLine.objects.create(year=year, code="A", name="工资", fund_source="general", nature="personnel",
                                  initial_amount=Decimal("8245300"))  # fmt: skip
    b = BudgetLine.objects.create(year=year, code="B", name="项目", fund_source="general", nature="project",
                                  project=project, initial_amount=Decimal("600000"))  # fmt: skip
    ExecutionEntry.objects.create(line=a, date=date(2023, 6, 30), amount=Decimal("3500000"), voucher_ref="1")
    ExecutionEntry.objects.create(line=b, date=date(2023, 6, 1), amount=Decimal("300000"), voucher_ref="2")
    ExecutionEntry.objects.create(line=b, date=date(2023, 7, 1), amount=Decimal("300000"), voucher_ref="3")
    month = monitor(year, date(2023, 6, 30))
    dept = month[0]
    assert (dept.rate, dept.progress, dept.gap, dept.level) == (
        Decimal("42.96"),
        Decimal("50.00"),
        Decimal("7.04"),
        "yellow",
    )
    assert monitor(year, date(2023, 6, 30), "day")[0].gap == Decimal("6.63")
    assert [r.scope for r in month] == ["department", "project", "line", "line"]
    assert month[1].rate == Decimal("50.00") and month[1].level == "normal"


@pytest.mark.django_db
def test_monitor_reads_each_line_once_however_many_lines(django_assert_num_queries, settings):
    settings.XINFANG = {**settings.XINFANG, "PERF_BUDGET_INCLUDES_CARRY_IN": True}
    year = FiscalYear.objects.create(year=2023)
    for i in range(3):
        project = Project.objects.create(year=year, code=f"XM{i}", name=f"项目{i}")
        for j in range(4):
            line = BudgetLine.objects.create(year=year, code=f"L{i}{j}", name="支出", fund_source="general",
                                             nature="project", project=project, initial_amount=Decimal("1000"),
                                             carry_in=Decimal("500"))  # fmt: skip
            ExecutionEntry.objects.create(
                line=line, date=date(2023, 3, 1), amount=Decimal("300"), voucher_ref=f"{i}{j}"
            )
    with django_assert_num_queries(5):  # lines, adjustments, executions, line totals' lines, projects
        rows = monitor(year, date(2023, 6, 30))
    assert len(rows) == 1 + 3 + 12
    assert rows[0].full_year == Decimal("18000") and rows[0].executed == Decimal("3600")  # carry-in counted
    assert rows[1].full_year == Decimal("6000") and rows[-1].full_year == Decimal("1500")


@pytest.mark.django_db
def test_indicator_progress_needs_corrective_action_when_behind():
    ev = Evaluation.objects.create(year=FiscalYear.objects.create(year=2025))
    count = Indicator.objects.create(evaluation=ev, level1="产出指标", level2="数量指标", level3="区领导重点约访",
                                     target="20", unit="名", mid_year_progress="8")  # fmt: skip
    state = indicator_progress(count, date(2025, 6, 30))
    assert state == {"expected": Decimal("10.00"), "on_track": False, "needs_action": True}
    count.corrective_action = "下半年每月安排两次约访"
    assert indicator_progress(count, date(2025, 6, 30))["needs_action"] is False
    rate = Indicator(evaluation=ev, level1="满意度指标", level2="x", level3="群众满意率", target="90", unit="%",
                     mid_year_progress="92.5")  # fmt: skip
    assert indicator_progress(rate, date(2025, 6, 30))["on_track"] is True
