"""Registry shape, empty cohorts, half-up rounding and the unit filter."""

from datetime import date
from decimal import Decimal

import pytest

from tests.analytics.helpers import at
from tests.factories import make_case, make_user
from xinfang.analytics.metrics import METRICS, get_metric, percentage
from xinfang.cases.models import CaseRouting
from xinfang.orgs.roles import Role

REQUIRED = {
    "timely_acceptance_rate": "及时受理率",
    "on_time_conclusion_rate": "按期办结率",
    "participation_rate": "参评率",
    "satisfaction_rate": "满意率",
    "repeat_rate": "重复信访率",
}


def test_registry_has_the_required_metrics_with_chinese_labels_and_units():
    for key, label in REQUIRED.items():
        assert METRICS[key].key == key
        assert METRICS[key].label == label
        assert METRICS[key].unit == "%"
    assert METRICS["first_petition_count"].unit == "件"
    with pytest.raises(KeyError, match="未知的统计指标"):
        get_metric("no_such_metric")


def test_percentage_rounds_half_up_to_two_places():
    assert percentage(1, 8) == Decimal("12.50")
    assert percentage(1, 3) == Decimal("33.33")
    assert percentage(2, 3) == Decimal("66.67")
    assert percentage(1, 800) == Decimal("0.13")  # 0.125 → 0.13, not banker's 0.12
    assert percentage(197, 200) == Decimal("98.50")
    assert str(percentage(197, 200)) == "98.50"
    assert percentage(0, 0) is None


@pytest.mark.django_db
def test_empty_cohort_gives_none_for_rates_and_zero_for_counts(district):
    for metric in METRICS.values():
        value = metric.compute(date(2026, 1, 1), date(2026, 1, 31), now=at(date(2026, 2, 1)))
        if metric.unit == "%":
            assert value is None, metric.key
        else:
            assert value == Decimal(0), metric.key


@pytest.mark.django_db
def test_period_start_after_end_is_refused(district):
    with pytest.raises(ValueError, match="开始日期"):
        METRICS["repeat_rate"].compute(date(2026, 2, 1), date(2026, 1, 1))


@pytest.mark.django_db
def test_half_up_rounding_through_a_metric(district):
    registrar = make_user(Role.REGISTRAR, district.bureau)
    due = date(2026, 3, 10)
    for i in range(8):  # 1 of 8 timely = 12.5 %
        make_case(
            registered_by=registrar,
            received=date(2026, 2, 23),
            triage_due_date=due,
            triaged_at=at(due) if i == 0 else None,
        )
    assert METRICS["timely_acceptance_rate"].compute(due, due, now=at(date(2026, 4, 1))) == Decimal("12.50")


@pytest.mark.django_db
def test_unit_filter_counts_responsible_or_routed_cases_in_the_unit_subtree(district):
    registrar = make_user(Role.REGISTRAR, district.bureau)
    unit_a, unit_b = district.units
    due = date(2026, 3, 10)
    kw = dict(registered_by=registrar, received=date(2026, 2, 23), triage_due_date=due)
    make_case(unit=unit_a, **kw)  # responsible + routed to A
    routed_only = make_case(**kw)
    CaseRouting.objects.create(case=routed_only, unit=unit_a, kind="assign", routed_at=at(due))
    make_case(unit=unit_b, **kw)
    make_case(**kw)  # nobody's yet
    now = at(date(2026, 4, 1))
    metric = METRICS["timely_acceptance_rate"]
    assert metric.counts(due, due, unit=unit_a, now=now)["total"] == 2
    assert metric.counts(due, due, unit=unit_b, now=now)["total"] == 1
    assert metric.counts(due, due, unit=district.root, now=now)["total"] == 3  # subtree of the district
    assert metric.counts(due, due, now=now)["total"] == 4
