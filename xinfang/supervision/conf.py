"""Supervision thresholds ([R]: set by the bureau, not by statute), read from settings.XINFANG["SUPERVISION"]
with these defaults."""

from __future__ import annotations

from django.conf import settings

DEFAULTS: dict[str, int | float] = {
    "REMINDER_WORKING_DAYS": 3,  # 提醒函 when a handling deadline is this many working days away or less
    "URGE_DAYS_AFTER": 1,  # 督办函 this many days after the deadline passed
    "ACCOUNTABILITY_WORKING_DAYS": 10,  # 问责建议函 drafted when still unanswered this long after a 督办函
    "AT_RISK_WORKING_DAYS": 3,  # a step is 临期 within this many working days of its deadline
    "REPEAT_WINDOW_DAYS": 90,
    "REPEAT_MIN_CASES": 3,
    "COLLECTIVE_WINDOW_DAYS": 7,
    "COLLECTIVE_MIN_CASES": 5,
    "COLLECTIVE_SIMILARITY": 0.35,
    "RISK_WINDOW_DAYS": 30,  # cases registered this recently are scanned for risk words and flags
    "BACKLOG_AGE_DAYS": 180,
}


def get(name: str):
    return settings.XINFANG.get("SUPERVISION", {}).get(name, DEFAULTS[name])
