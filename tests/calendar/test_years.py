"""A year counts as known only when the package covers it or an administrator marks it complete."""

from datetime import date

import pytest

from tests.factories import make_user
from xinfang.audit.models import AuditEvent
from xinfang.calendar.models import CalendarYear, HolidayOverride
from xinfang.calendar.services import (
    Due,
    add_days,
    add_working_days,
    day_status,
    set_year_complete,
    year_is_known,
)
from xinfang.cases.workflow import deadlines
from xinfang.orgs.roles import Role

pytestmark = pytest.mark.django_db
NATIONAL = deadlines.PROFILES["national"]


@pytest.fixture
def one_2027_row():
    # a single 调休 day entered for 2027, the rest of the schedule not yet published
    return HolidayOverride.objects.create(
        date=date(2027, 1, 4), is_working_day=False, name="元旦调休（测试）"
    )


def test_one_override_row_leaves_2027_deadlines_provisional(one_2027_row):
    assert not year_is_known(2027)
    assert add_days(date(2026, 12, 20), 15) == Due(date(2027, 1, 5), True)  # the row is honoured
    assert add_working_days(date(2027, 3, 1), 10) == Due(date(2027, 3, 15), True)
    assert deadlines.due("triage", date(2026, 12, 20), NATIONAL) == deadlines.Due(date(2027, 1, 5), True)
    assert day_status(date(2027, 1, 4)) == (False, False)


def test_marking_2027_complete_makes_deadlines_definitive_and_unmarking_undoes_it(one_2027_row):
    assert add_days(date(2026, 12, 20), 15).provisional  # loads 2027 into the cache
    row, changed = set_year_complete(2027, True, note="国办发明电（测试）")
    assert changed and row.complete and row.marked_at is not None
    # no clear_cache() here: the CalendarYear signal drops the cached year
    assert year_is_known(2027)
    assert add_days(date(2026, 12, 20), 15) == Due(date(2027, 1, 5), False)
    assert add_working_days(date(2027, 3, 1), 10) == Due(date(2027, 3, 15), False)
    assert deadlines.due("triage", date(2026, 12, 20), NATIONAL) == deadlines.Due(date(2027, 1, 5), False)

    _, changed = set_year_complete(2027, False)
    assert changed and not CalendarYear.objects.get(year=2027).complete
    assert CalendarYear.objects.get(year=2027).note == "国办发明电（测试）"  # note=None keeps it
    assert not year_is_known(2027)
    assert add_days(date(2026, 12, 20), 15) == Due(date(2027, 1, 5), True)


def test_deleting_the_marking_makes_the_year_provisional_again(one_2027_row):
    set_year_complete(2027, True)
    assert not add_days(date(2026, 12, 20), 15).provisional
    CalendarYear.objects.get(year=2027).delete()
    assert add_days(date(2026, 12, 20), 15).provisional


def test_a_marking_without_any_rows_completes_a_year_of_plain_weekdays():
    set_year_complete(2027, True)
    assert add_days(date(2027, 1, 1), 1) == Due(date(2027, 1, 4), False)  # Sat 01-02 rolls to Mon


def test_marking_and_unmarking_are_audited_once_per_change(district):
    admin = make_user(Role.ADMIN, district.bureau)
    HolidayOverride.objects.create(date=date(2027, 1, 1), is_working_day=False, name="元旦")
    set_year_complete(2027, True, actor=admin, note="依据通知", via="page")
    _, changed = set_year_complete(2027, True, actor=admin, via="page")  # double submit: no change
    assert not changed
    set_year_complete(2027, False, actor=admin, via="page")
    events = list(AuditEvent.objects.filter(action__startswith="calendar.year").order_by("id"))
    assert [e.action for e in events] == ["calendar.year.complete", "calendar.year.incomplete"]
    first, second = events
    assert first.actor_id == admin.pk and first.object_id == str(CalendarYear.objects.get(year=2027).pk)
    assert first.before is None
    assert first.after == {
        "year": 2027,
        "complete": True,
        "note": "依据通知",
        "overrides": 1,
        "package": False,
        "via": "page",
    }
    assert second.before == {"year": 2027, "complete": True, "note": "依据通知"}
    assert second.after["complete"] is False
    row = CalendarYear.objects.get(year=2027)
    assert row.marked_by == admin


def test_years_outside_the_range_are_refused():
    with pytest.raises(ValueError, match="年份应在 1900 到 2999 之间"):
        set_year_complete(3000, True)
    assert not CalendarYear.objects.exists()


def test_package_years_stay_known_whatever_the_marking():
    set_year_complete(2025, False)
    assert year_is_known(2025)
    assert add_days(date(2024, 9, 16), 15) == Due(date(2024, 10, 8), False)


def test_package_years_cost_no_extra_query(django_assert_num_queries):
    with django_assert_num_queries(1):  # the overrides of 2024 only; no CalendarYear lookup
        add_days(date(2024, 6, 1), 15)
    with django_assert_num_queries(2):  # 2027: overrides + its CalendarYear row
        add_days(date(2027, 6, 1), 15)
