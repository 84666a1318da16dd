"""Rule 13: 已评价 80 (满意 50, 基本满意 20, 不满意 10) + 超期未评价 20 → 参评率 80.00, 满意率 87.50."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import make_case, make_user
from xinfang.analytics.metrics import METRICS, evaluation_breakdown
from xinfang.orgs.roles import Role
from xinfang.portal.services import expire_evaluations, open_evaluation, submit_evaluation

REPLY_DAY = date(2026, 6, 1)
PERIOD = (date(2026, 6, 1), date(2026, 7, 31))


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


@pytest.mark.django_db
def test_rule13_participation_80_and_satisfaction_87_5(district):
    registrar = make_user(Role.REGISTRAR, district.bureau)
    results = ["satisfied"] * 50 + ["basically"] * 20 + ["unsatisfied"] * 10 + [None] * 20
    for i, result in enumerate(results):
        case = make_case(registered_by=registrar, received=date(2026, 4, 1), replied_at=at(REPLY_DAY))
        open_evaluation(case)
        if result:
            submit_evaluation(case, result, "", at(REPLY_DAY + timedelta(days=1 + i % 20)))
    now = at(date(2026, 8, 1))
    assert expire_evaluations(now) == 20

    counts = evaluation_breakdown(*PERIOD, now=now)
    assert counts == {
        "evaluated": 80,
        "expired": 20,
        "exempt": 0,
        "satisfied": 50,
        "basically": 20,
        "unsatisfied": 10,
    }
    assert METRICS["participation_rate"].compute(*PERIOD, now=now) == Decimal("80.00")
    assert METRICS["satisfaction_rate"].compute(*PERIOD, now=now) == Decimal("87.50")


@pytest.mark.django_db
def test_evaluation_metrics_respect_the_unit_filter(district):
    registrar = make_user(Role.REGISTRAR, district.bureau)
    unit_a, unit_b = district.units
    for unit, result in ((unit_a, "satisfied"), (unit_a, None), (unit_b, "unsatisfied")):
        case = make_case(
            registered_by=registrar, unit=unit, received=date(2026, 4, 1), replied_at=at(REPLY_DAY)
        )
        open_evaluation(case)
        if result:
            submit_evaluation(case, result, "", at(REPLY_DAY + timedelta(days=1)))
    now = at(date(2026, 8, 1))
    assert METRICS["participation_rate"].compute(*PERIOD, unit=unit_a, now=now) == Decimal("50.00")
    assert METRICS["satisfaction_rate"].compute(*PERIOD, unit=unit_a, now=now) == Decimal("100.00")
    assert METRICS["satisfaction_rate"].compute(*PERIOD, unit=unit_b, now=now) == Decimal("0.00")
    assert METRICS["participation_rate"].compute(*PERIOD, unit=district.root, now=now) == Decimal("66.67")
