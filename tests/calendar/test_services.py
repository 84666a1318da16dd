from datetime import date

import chinese_calendar
import pytest

from xinfang.calendar.models import CalendarYear, HolidayOverride
from xinfang.calendar.services import (
    Due,
    add_days,
    add_working_days,
    clear_cache,
    day_status,
    is_working_day,
    next_working_day,
    range_is_known,
    set_year_complete,
    working_days_between,
)

pytestmark = pytest.mark.django_db


def test_national_day_2024_rolls_forward_to_first_working_day():
    # domain/petition.md §9 rule 22
    assert add_days(date(2024, 9, 16), 15) == Due(date(2024, 10, 8), False)


def test_deadline_on_a_working_day_does_not_move():
    assert add_days(date(2024, 9, 30), 15) == Due(date(2024, 10, 15), False)


def test_without_roll_forward_the_nominal_date_is_kept():
    assert add_days(date(2024, 9, 16), 15, roll_forward=False) == Due(date(2024, 10, 1), False)


def test_sunday_make_up_day_before_national_day_is_a_working_day():
    assert date(2024, 9, 29).weekday() == 6
    assert day_status(date(2024, 9, 29)) == (True, True)
    assert add_days(date(2024, 9, 14), 15) == Due(date(2024, 9, 29), False)
    assert next_working_day(date(2024, 9, 28)) == date(2024, 9, 29)
    assert next_working_day(date(2024, 9, 29)) == date(2024, 9, 30)
    assert next_working_day(date(2024, 9, 30)) == date(2024, 10, 8)


def test_national_day_week_is_rest():
    for day in range(1, 8):
        assert not is_working_day(date(2024, 10, day))
    assert is_working_day(date(2024, 10, 12))  # Saturday make-up day


@pytest.mark.parametrize(
    ("make_up_day", "holiday"),
    [(date(2025, 1, 26), date(2025, 1, 30)), (date(2025, 2, 8), date(2025, 2, 3))],
)
def test_spring_festival_2025(make_up_day, holiday):
    assert make_up_day.weekday() >= 5
    assert chinese_calendar.is_workday(make_up_day)
    assert day_status(make_up_day) == (True, True)
    assert day_status(holiday) == (False, True)


def test_spring_festival_2026_make_up_saturdays_are_working_days():
    for d in (date(2026, 2, 14), date(2026, 2, 28)):
        assert d.weekday() == 5
        assert chinese_calendar.is_workday(d) and is_working_day(d)
    assert not is_working_day(date(2026, 2, 17))  # 初一


def test_2026_spring_festival_deadline_rolls_past_the_holiday():
    # 2026-02-01 + 15 = 2026-02-16 (除夕, rest); the holiday runs to 2026-02-23
    first_working = next_working_day(date(2026, 2, 15))
    assert add_days(date(2026, 2, 1), 15) == Due(first_working, False)
    assert first_working == date(2026, 2, 24)
    assert all(not chinese_calendar.is_workday(date(2026, 2, d)) for d in range(15, 24))


def test_objection_period_five_working_days_across_spring_festival_2025():
    # 2025-01-24 (Fri): 1-26 (Sun, make-up), 1-27, then 1-28 (除夕)..2-4 rest, 2-5, 2-6, 2-7
    due = add_working_days(date(2025, 1, 24), 5)
    assert due == Due(date(2025, 2, 7), False)
    assert working_days_between(date(2025, 1, 24), due.date) == 5
    expected = sum(
        chinese_calendar.is_workday(date(2025, 1, 24).fromordinal(o))
        for o in range(date(2025, 1, 25).toordinal(), date(2025, 2, 8).toordinal())
    )
    assert expected == 5


def test_add_working_days_zero_and_backwards():
    assert add_working_days(date(2024, 10, 3), 0) == Due(date(2024, 10, 3), False)
    assert add_working_days(date(2024, 10, 8), -1) == Due(date(2024, 9, 30), False)
    assert add_working_days(date(2024, 10, 8), -2) == Due(date(2024, 9, 29), False)


def test_working_days_between_counts_half_open_interval_across_years():
    assert working_days_between(date(2024, 10, 8), date(2024, 10, 8)) == 0
    assert working_days_between(date(2024, 9, 30), date(2024, 10, 8)) == 1
    assert working_days_between(date(2024, 10, 8), date(2024, 9, 30)) == -1
    span = (date(2024, 12, 1), date(2025, 2, 1))
    expected = sum(
        chinese_calendar.is_workday(date.fromordinal(o))
        for o in range(span[0].toordinal() + 1, span[1].toordinal() + 1)
    )
    assert working_days_between(*span) == expected


def test_year_end_crossing_into_2027_is_provisional():
    due = add_days(date(2026, 12, 20), 15)
    assert due == Due(date(2027, 1, 4), True)  # Monday; weekdays assumed working
    assert add_days(date(2026, 12, 18), 15) == Due(date(2027, 1, 4), True)  # 1-2 Sat → Mon
    assert add_working_days(date(2026, 12, 28), 5) == Due(date(2027, 1, 4), True)
    assert day_status(date(2027, 1, 1)) == (True, False)


def test_only_the_days_looked_at_decide_provisional():
    # start in 2003 (not covered), result in 2004 (covered): the start day is not counted, so final
    first_2004 = next_working_day(date(2003, 12, 31))
    assert chinese_calendar.is_workday(first_2004) and first_2004.year == 2004
    assert add_working_days(date(2003, 12, 31), 1) == Due(first_2004, False)
    assert add_days(date(2003, 12, 31), 1) == Due(first_2004, False)
    assert add_days(date(2003, 12, 28), 1) == Due(date(2003, 12, 29), True)


def test_override_rows_are_honoured_but_only_a_complete_marking_makes_the_year_known():
    HolidayOverride.objects.create(date=date(2027, 1, 1), is_working_day=False, name="元旦")
    assert day_status(date(2027, 1, 1)) == (False, False)  # the row applies, the year stays unknown
    assert add_days(date(2026, 12, 17), 15) == Due(date(2027, 1, 4), True)
    set_year_complete(2027, True)
    assert day_status(date(2027, 1, 1)) == (False, True)
    assert day_status(date(2027, 1, 4)) == (True, True)  # no row: plain Monday, but year now known
    assert day_status(date(2027, 1, 2)) == (False, True)
    assert add_days(date(2026, 12, 17), 15) == Due(date(2027, 1, 4), False)


def test_override_beats_the_package_and_cache_follows_edits():
    d = date(2024, 10, 15)
    assert is_working_day(d)
    row = HolidayOverride.objects.create(date=d, is_working_day=False, name="测试")
    assert not is_working_day(d)
    assert add_days(date(2024, 9, 30), 15) == Due(date(2024, 10, 16), False)
    row.delete()
    assert is_working_day(d)


def test_lookups_use_one_query_per_year(django_assert_num_queries):
    with django_assert_num_queries(2):
        for n in range(400):
            add_days(date(2024, 6, 1), n)
    with django_assert_num_queries(0):
        add_working_days(date(2024, 1, 1), 300)


def test_years_before_the_package_are_unknown_but_do_not_crash():
    assert day_status(date(2003, 10, 1)) == (True, False)
    assert add_days(date(2003, 9, 20), 10) == Due(date(2003, 9, 30), True)


def _brute_next_working(d: date) -> date:
    while not chinese_calendar.is_workday(d):
        d = date.fromordinal(d.toordinal() + 1)
    return d


def test_results_agree_with_day_by_day_chinese_calendar_across_2023_to_2026():
    for o in range(date(2023, 12, 1).toordinal(), date(2026, 11, 1).toordinal(), 9):
        start = date.fromordinal(o)
        for n in (1, 5, 15, 30):
            nominal = date.fromordinal(o + n)
            assert add_days(start, n) == Due(_brute_next_working(nominal), False)
            due = add_working_days(start, n)
            assert chinese_calendar.is_workday(due.date) and not due.provisional
            between = [date.fromordinal(x) for x in range(o + 1, due.date.toordinal() + 1)]
            assert (
                sum(map(chinese_calendar.is_workday, between)) == n == working_days_between(start, due.date)
            )
            back = add_working_days(start, -n).date
            before = [date.fromordinal(x) for x in range(back.toordinal(), o)]
            assert chinese_calendar.is_workday(back) and sum(map(chinese_calendar.is_workday, before)) == n


def test_rows_written_without_signals_are_seen_after_the_cache_expires(settings):
    CalendarYear.objects.create(year=2027, complete=True)
    HolidayOverride.objects.bulk_create([HolidayOverride(date=date(2027, 3, 1), is_working_day=False)])
    assert day_status(date(2027, 3, 1)) == (False, True)  # first load of 2027 reads the row
    HolidayOverride.objects.filter(date=date(2027, 3, 1)).update(is_working_day=True)  # no signal
    assert day_status(date(2027, 3, 1)) == (False, True)  # still cached
    settings.XINFANG = {**settings.XINFANG, "CALENDAR_CACHE_SECONDS": 0}
    clear_cache()
    assert day_status(date(2027, 3, 1)) == (True, True)
    HolidayOverride.objects.filter(date=date(2027, 3, 1)).update(is_working_day=False)
    assert day_status(date(2027, 3, 1)) == (False, True)  # TTL 0: every lookup re-reads


def test_range_is_known_reports_uncovered_years():
    assert range_is_known(date(2025, 12, 1), date(2026, 1, 31))
    assert not range_is_known(date(2026, 12, 1), date(2027, 1, 31))
    HolidayOverride.objects.create(date=date(2027, 5, 1), is_working_day=False, name="劳动节")
    assert not range_is_known(date(2027, 1, 31), date(2026, 12, 1))  # one row is not a schedule
    set_year_complete(2027, True)
    assert range_is_known(date(2027, 1, 31), date(2026, 12, 1))
