"""Rule 14: 及时受理率 (petition department), cohort = cases whose D+15 falls in the period."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine

from tests.analytics.helpers import at
from tests.factories import make_case, make_user
from xinfang.analytics.metrics import METRICS, timely_acceptance_breakdown
from xinfang.orgs.roles import Role

D = date(2026, 3, 2)
DUE = D + timedelta(days=15)  # 2026-03-17


@pytest.fixture
def registrar(district):
    return make_user(Role.REGISTRAR, district.bureau)


def _case(registrar, triaged=None, due=DUE, **kw):
    return make_case(registered_by=registrar, received=D, triage_due_date=due, triaged_at=triaged, **kw)


@pytest.mark.django_db
def test_rule14_handled_on_d15_is_timely_d16_late_unhandled_overdue(registrar):
    _case(registrar, triaged=at(DUE, 23, 59))  # on D+15, late evening local time: still timely
    _case(registrar, triaged=at(DUE + timedelta(days=1), 0, 1))  # D+16 just after midnight: late
    _case(registrar, triaged=None)  # never handled, now > D+15: overdue-unhandled
    _case(registrar, triaged=at(D + timedelta(days=3)))  # early: timely
    now = at(DUE + timedelta(days=5))

    counts = timely_acceptance_breakdown(date(2026, 3, 1), date(2026, 3, 31), now=now)

    assert counts == {"total": 4, "timely": 2, "late": 1, "overdue_unhandled": 1, "not_due": 0,
                      "excluded_direct": 0, "excluded_merged": 0}  # fmt: skip
    assert METRICS["timely_acceptance_rate"].compute(date(2026, 3, 1), date(2026, 3, 31), now=now) == Decimal(
        "50.00"
    )


@pytest.mark.django_db
def test_rule14_unhandled_case_is_not_due_until_the_day_after_d15(registrar):
    _case(registrar, triaged=None)
    on_due_day = timely_acceptance_breakdown(DUE, DUE, now=at(DUE, 18))
    day_after = timely_acceptance_breakdown(DUE, DUE, now=at(DUE + timedelta(days=1), 8))
    assert (on_due_day["not_due"], on_due_day["overdue_unhandled"]) == (1, 0)
    assert (day_after["not_due"], day_after["overdue_unhandled"]) == (0, 1)


@pytest.mark.django_db
def test_rule14_cohort_is_by_deadline_not_by_registration(registrar):
    # Registered in February, due in March: belongs to March, not February.
    make_case(registered_by=registrar, received=date(2026, 2, 25), triage_due_date=date(2026, 3, 12))
    assert (
        timely_acceptance_breakdown(date(2026, 2, 1), date(2026, 2, 28), now=at(date(2026, 4, 1)))["total"]
        == 0
    )
    assert (
        timely_acceptance_breakdown(date(2026, 3, 1), date(2026, 3, 31), now=at(date(2026, 4, 1)))["total"]
        == 1
    )


@pytest.mark.django_db
def test_rule14_triage_recorded_after_now_counts_as_not_yet_handled(registrar):
    _case(registrar, triaged=at(D + timedelta(days=10)))
    counts = timely_acceptance_breakdown(date(2026, 3, 1), date(2026, 3, 31), now=at(D + timedelta(days=5)))
    assert (counts["timely"], counts["not_due"]) == (0, 1)


@pytest.mark.django_db
def test_rule14_default_now_is_the_current_time(registrar):
    _case(registrar, triaged=None)
    with time_machine.travel(at(DUE + timedelta(days=1)), tick=False):
        assert timely_acceptance_breakdown(DUE, DUE)["overdue_unhandled"] == 1
    with time_machine.travel(at(DUE), tick=False):
        assert timely_acceptance_breakdown(DUE, DUE)["not_due"] == 1
