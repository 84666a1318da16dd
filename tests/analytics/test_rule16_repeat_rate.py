"""Rule 16: 重复信访率 = repeats / all in the period; 初件 = all − repeats."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from tests.analytics.helpers import at
from tests.factories import make_case, make_petitioner, make_user
from xinfang.analytics.metrics import METRICS, repeat_breakdown
from xinfang.cases.choices import Status
from xinfang.orgs.roles import Role

PERIOD = (date(2026, 5, 1), date(2026, 5, 31))
NOW = at(date(2026, 6, 1))


@pytest.fixture
def registrar(district):
    return make_user(Role.REGISTRAR, district.bureau)


@pytest.mark.django_db
def test_rule16_linked_case_of_same_petitioner_is_a_repeat_and_first_is_all_minus_repeats(registrar):
    wang = make_petitioner("王五")
    earlier = make_case(registered_by=registrar, petitioner=wang, received=date(2026, 4, 20))
    make_case(registered_by=registrar, petitioner=wang, received=date(2026, 5, 6), related_case=earlier)
    for i in range(3):
        make_case(registered_by=registrar, received=date(2026, 5, 10 + i))

    counts = repeat_breakdown(*PERIOD, now=NOW)

    assert counts == {"total": 4, "repeats": 1, "first": 3}
    assert METRICS["repeat_rate"].compute(*PERIOD, now=NOW) == Decimal("25.00")
    assert METRICS["first_petition_count"].compute(*PERIOD, now=NOW) == Decimal(3)
    assert METRICS["first_petition_count"].unit == "件"


@pytest.mark.django_db
def test_rule16_link_to_another_petitioners_case_is_not_a_repeat(registrar):
    other = make_case(registered_by=registrar, received=date(2026, 4, 1))
    make_case(registered_by=registrar, received=date(2026, 5, 6), related_case=other)
    assert repeat_breakdown(*PERIOD, now=NOW)["repeats"] == 0


@pytest.mark.django_db
def test_rule16_link_to_a_later_case_is_not_a_repeat_and_suspect_flag_alone_does_not_count(registrar):
    li = make_petitioner("李四")
    first = make_case(registered_by=registrar, petitioner=li, received=date(2026, 5, 3))
    later = make_case(registered_by=registrar, petitioner=li, received=date(2026, 5, 20))
    first.related_case = later  # points forward in time: the earlier case is not the repeat
    first.save()
    make_case(registered_by=registrar, received=date(2026, 5, 21), is_repeat_suspect=True)
    assert repeat_breakdown(*PERIOD, now=NOW) == {"total": 3, "repeats": 0, "first": 3}


@pytest.mark.django_db
def test_rule16_not_reaccepted_case_counts_as_repeat(registrar):
    # Rule 8: a petition refused as 不再受理 is counted as a repeat.
    make_case(registered_by=registrar, received=date(2026, 5, 3), status=Status.NOT_REACCEPTED)
    make_case(registered_by=registrar, received=date(2026, 5, 4))
    assert METRICS["repeat_rate"].compute(*PERIOD, now=NOW) == Decimal("50.00")


@pytest.mark.django_db
def test_rule16_period_uses_local_registration_date(registrar):
    # 2026-05-31 23:30 in Beijing is 15:30 UTC the same day; 2026-06-01 00:30 local is still 31 May in UTC.
    make_case(
        registered_by=registrar, received=date(2026, 5, 31), registered_at=at(date(2026, 5, 31), 23, 30)
    )
    make_case(registered_by=registrar, received=date(2026, 6, 1), registered_at=at(date(2026, 6, 1), 0, 30))
    later = at(date(2026, 6, 2))
    assert repeat_breakdown(*PERIOD, now=later)["total"] == 1
    assert repeat_breakdown(date(2026, 6, 1), date(2026, 6, 1) + timedelta(days=29), now=later)["total"] == 1
