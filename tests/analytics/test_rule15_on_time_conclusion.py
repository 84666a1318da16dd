"""Rule 15: 按期办结率 = on-time / (on-time + late + open-not-due + open-overdue), cohort by handling deadline."""

from datetime import date
from decimal import Decimal

import pytest

from tests.analytics.helpers import at
from tests.factories import make_case, make_user
from xinfang.analytics.metrics import METRICS, on_time_conclusion_breakdown
from xinfang.cases.choices import Status
from xinfang.orgs.roles import Role

MARCH = (date(2026, 3, 1), date(2026, 3, 31))
APRIL = (date(2026, 4, 1), date(2026, 4, 30))


@pytest.fixture
def registrar(district):
    return make_user(Role.REGISTRAR, district.bureau)


def _case(registrar, due, replied=None, **kw):
    return make_case(
        registered_by=registrar, received=date(2026, 1, 5), handling_due_date=due, replied_at=replied, **kw
    )


@pytest.mark.django_db
def test_rule15_four_buckets_make_the_denominator(registrar):
    _case(registrar, date(2026, 3, 10), replied=at(date(2026, 3, 10), 22))  # on time (same day)
    _case(registrar, date(2026, 3, 10), replied=at(date(2026, 3, 11), 9))  # late
    _case(registrar, date(2026, 3, 10))  # open, overdue
    _case(registrar, date(2026, 3, 30))  # open, not yet due
    now = at(date(2026, 3, 20))

    counts = on_time_conclusion_breakdown(*MARCH, now=now)

    assert counts == {"total": 4, "on_time": 1, "late": 1, "open_not_due": 1, "open_overdue": 1,
                      "excluded_withdrawn": 0, "excluded_diverted": 0}  # fmt: skip
    assert METRICS["on_time_conclusion_rate"].compute(*MARCH, now=now) == Decimal("25.00")


@pytest.mark.django_db
def test_rule15_extension_moves_the_deadline_and_the_cohort(registrar):
    case = _case(registrar, date(2026, 3, 20), status=Status.HANDLING)
    now = at(date(2026, 3, 15))
    assert on_time_conclusion_breakdown(*MARCH, now=now)["total"] == 1

    # An approved extension (rule 4: at most A+90) moves the deadline into April.
    case.handling_due_date = date(2026, 4, 19)
    case.extension_count = 1
    case.status = Status.EXTENDED
    case.save()
    case.replied_at = at(date(2026, 4, 10))
    case.save()

    assert on_time_conclusion_breakdown(*MARCH, now=at(date(2026, 5, 1)))["total"] == 0
    april = on_time_conclusion_breakdown(*APRIL, now=at(date(2026, 5, 1)))
    assert (april["total"], april["on_time"]) == (1, 1)
    assert METRICS["on_time_conclusion_rate"].compute(*MARCH, now=at(date(2026, 5, 1))) is None
    assert METRICS["on_time_conclusion_rate"].compute(*APRIL, now=at(date(2026, 5, 1))) == Decimal("100.00")


@pytest.mark.django_db
def test_rule15_cases_without_a_handling_clock_are_outside_the_cohort(registrar):
    # Art.31(1)-(5) routes get no 60-day clock (rule 5): handling_due_date stays empty.
    _case(registrar, None, replied=at(date(2026, 3, 5)))
    _case(registrar, date(2026, 3, 10), replied=at(date(2026, 3, 5)))
    assert on_time_conclusion_breakdown(*MARCH, now=at(date(2026, 4, 1)))["total"] == 1
