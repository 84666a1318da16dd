"""Deadline rules as data: rule 22, the 2024 National Day, 2025/2026 Spring Festival, a missing year."""

from __future__ import annotations

from datetime import date

import pytest

from xinfang.calendar.models import HolidayOverride
from xinfang.calendar.services import clear_cache, set_year_complete
from xinfang.cases.workflow import deadlines

pytestmark = pytest.mark.django_db
NATIONAL = deadlines.PROFILES["national"]
ZHEJIANG = deadlines.PROFILES["zhejiang"]


def test_rule22_fifteen_days_from_2024_09_30_is_a_working_day():
    assert deadlines.due("triage", date(2024, 9, 30), NATIONAL) == deadlines.Due(date(2024, 10, 15), False)


def test_rule22_fifteen_days_from_2024_09_16_rolls_past_national_day():
    assert deadlines.due("triage", date(2024, 9, 16), NATIONAL).date == date(2024, 10, 8)


def test_national_day_2024_objection_counts_the_sunday_make_up_day():
    # 09-29 (Sun) and 10-12 (Sat) are 调休 working days; 10-01..07 are not.
    assert deadlines.due("objection", date(2024, 9, 27), NATIONAL).date == date(2024, 10, 10)
    assert deadlines.due("objection", date(2024, 10, 8), NATIONAL).date == date(2024, 10, 14)  # 10-12 counts


def test_spring_festival_2025():
    assert deadlines.due("acceptance", date(2025, 1, 13), NATIONAL).date == date(2025, 2, 5)  # 01-28 → 02-05
    assert deadlines.due("acceptance", date(2025, 1, 11), NATIONAL).date == date(2025, 1, 26)  # 调休 Sunday
    assert deadlines.due("objection", date(2025, 1, 24), NATIONAL).date == date(2025, 2, 7)


def test_spring_festival_2026():
    assert deadlines.due("triage", date(2026, 2, 1), NATIONAL).date == date(2026, 2, 24)  # 02-16 → 02-24
    assert deadlines.due("triage", date(2026, 2, 13), NATIONAL).date == date(2026, 2, 28)  # 调休 Saturday
    assert deadlines.due("objection", date(2026, 2, 12), NATIONAL).date == date(2026, 2, 26)


def test_zhejiang_counts_triage_in_working_days():
    assert ZHEJIANG.rule("triage").unit == deadlines.WORKDAY
    assert deadlines.due("triage", date(2026, 2, 12), ZHEJIANG).date == date(2026, 2, 26)
    assert deadlines.due("handling", date(2026, 3, 4), ZHEJIANG).date == date(2026, 4, 3)
    assert deadlines.handling_cap(date(2026, 3, 4), ZHEJIANG).date == date(2026, 6, 2)  # 30 + 60


def test_a_deadline_in_a_year_without_calendar_data_is_provisional_then_filled_by_an_override():
    due = deadlines.due("triage", date(2026, 12, 20), NATIONAL)
    assert due == deadlines.Due(date(2027, 1, 4), True)  # Monday, but 2027 has no schedule yet
    HolidayOverride.objects.create(date=date(2027, 1, 4), is_working_day=False, name="元旦调休（测试）")
    set_year_complete(2027, True)  # one row alone leaves the year provisional; the marking completes it
    clear_cache()
    assert deadlines.due("triage", date(2026, 12, 20), NATIONAL) == deadlines.Due(date(2027, 1, 5), False)


def test_the_active_profile_comes_from_settings(settings):
    settings.XINFANG = {**settings.XINFANG, "DEADLINE_PROFILE": "zhejiang"}
    assert deadlines.active_profile().code == "zhejiang"
    assert deadlines.rule("handling").n == 30
    settings.XINFANG = {**settings.XINFANG, "DEADLINE_PROFILE": "shandong"}
    assert deadlines.active_profile().reply_requires_review_route
    assert deadlines.rule("review_acceptance").unit == deadlines.WORKDAY


def test_every_profile_has_every_national_step():
    for profile in deadlines.PROFILES.values():
        assert set(deadlines.NATIONAL_RULES) <= set(profile.rules), profile.code
        for r in profile.rules.values():
            assert r.n > 0 and r.unit in (deadlines.DAY, deadlines.WORKDAY) and r.article
