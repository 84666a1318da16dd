"""The dashboard's period picker: a default period and the quick choices (本月, 上月, 本季度, 本年)."""

from __future__ import annotations

from datetime import date, timedelta


def month_bounds(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, nxt - timedelta(days=1)


def quick_periods(today: date) -> list[tuple[str, date, date]]:
    this_first, this_last = month_bounds(today)
    last_first, last_last = month_bounds(this_first - timedelta(days=1))
    quarter_first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    quarter_last = month_bounds(date(today.year, quarter_first.month + 2, 1))[1]
    return [
        ("本月", this_first, this_last),
        ("上月", last_first, last_last),
        ("本季度", quarter_first, quarter_last),
        ("本年", date(today.year, 1, 1), date(today.year, 12, 31)),
        ("近十二个月", month_bounds(date(today.year - 1, today.month, 1))[1] + timedelta(days=1), this_last),
    ]


def default_period(today: date) -> tuple[date, date]:
    """From the first of the month twelve months back to the end of this month: a year of trend."""
    _, start, end = quick_periods(today)[-1]
    return start, end
