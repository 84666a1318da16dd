"""Working-day arithmetic on the Chinese calendar (design.md §4, domain/petition.md §2.4).

A day's status comes from the HolidayOverride table first, then the chinese-calendar package. A year that
neither covers is "unknown": Mon–Fri count as working days, weekends as rest days, and every result that
depends on such a day is marked provisional. Nothing here raises for a missing year.

Each year is turned into a 365/366-entry table once per process (one query for its overrides); the table
is dropped when an override is saved or deleted, and re-read after CALENDAR_CACHE_SECONDS so that other
processes pick up imports too.
"""

from __future__ import annotations

import datetime
import threading
import time
from dataclasses import dataclass
from functools import lru_cache

import chinese_calendar
from django.conf import settings

ONE_DAY = datetime.timedelta(days=1)
DEFAULT_CACHE_SECONDS = 300


@dataclass(frozen=True)
class Due:
    date: datetime.date
    provisional: bool  # True when any year touched lacks calendar data

    def __str__(self) -> str:
        return self.date.isoformat() + (" provisional" if self.provisional else "")


@dataclass(frozen=True)
class _Year:
    known: bool
    working: bytes  # one byte per day of the year, 1 = working day
    loaded_at: float


_years: dict[int, _Year] = {}
_lock = threading.Lock()


@lru_cache(maxsize=64)
def package_covers(year: int) -> bool:
    """Whether the installed chinese-calendar has the State Council schedule for `year`."""
    try:
        chinese_calendar.is_workday(datetime.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


@lru_cache(maxsize=64)
def _package_year(year: int) -> bytes:
    """Working-day flags for a year from the package, or plain Mon–Fri when it does not cover the year."""
    start = datetime.date(year, 1, 1)
    days = (datetime.date(year + 1, 1, 1) - start).days if year < 9999 else 365
    covered = package_covers(year)
    flags = bytearray(days)
    for i in range(days):
        d = start + datetime.timedelta(days=i)
        flags[i] = chinese_calendar.is_workday(d) if covered else d.weekday() < 5
    return bytes(flags)


def _cache_seconds() -> float:
    return float(settings.XINFANG.get("CALENDAR_CACHE_SECONDS", DEFAULT_CACHE_SECONDS))


def _load_year(year: int) -> _Year:
    from .models import HolidayOverride

    flags = bytearray(_package_year(year))
    rows = HolidayOverride.objects.filter(date__year=year).values_list("date", "is_working_day")
    count = 0
    for d, working in rows:
        flags[d.timetuple().tm_yday - 1] = working
        count += 1
    return _Year(known=package_covers(year) or count > 0, working=bytes(flags), loaded_at=time.monotonic())


def _year(year: int) -> _Year:
    entry = _years.get(year)
    if entry is None or time.monotonic() - entry.loaded_at > _cache_seconds():
        entry = _load_year(year)
        with _lock:
            _years[year] = entry
    return entry


def clear_cache() -> None:
    """Forget the loaded years (called when overrides change; tests call it between cases)."""
    with _lock:
        _years.clear()


def year_is_known(year: int) -> bool:
    """True when chinese-calendar covers the year or the override table has at least one row for it."""
    return _year(year).known


def day_status(d: datetime.date) -> tuple[bool, bool]:
    """(is_working_day, known): override table first, then chinese-calendar, else Mon–Fri."""
    entry = _year(d.year)
    return bool(entry.working[d.timetuple().tm_yday - 1]), entry.known


def is_working_day(d: datetime.date) -> bool:
    """调休 weekend make-up days are working days; in unknown years Mon–Fri are."""
    return day_status(d)[0]


def _roll(d: datetime.date) -> tuple[datetime.date, bool]:
    """The first working day on or after d, and whether every day looked at was known."""
    known_all = True
    while True:
        working, known = day_status(d)
        known_all = known_all and known
        if working:
            return d, known_all
        d += ONE_DAY


def next_working_day(d: datetime.date) -> datetime.date:
    """The first working day strictly after d."""
    return _roll(d + ONE_DAY)[0]


def add_days(start: datetime.date, n: int, *, roll_forward: bool = True) -> Due:
    """start + n calendar days (the start day is not counted, Civil Code art.201).

    With roll_forward (the default, art.203 by analogy) a result on a rest day moves to the next working
    day. Provisional when a day whose status decided the result lies in an unknown year; without
    roll_forward the result depends on no calendar data and is never provisional.
    """
    end = start + datetime.timedelta(days=n)
    if not roll_forward:
        return Due(end, False)
    end, known = _roll(end)
    return Due(end, not known)


def add_working_days(start: datetime.date, n: int) -> Due:
    """The n-th working day after start (start not counted); n = 0 gives start itself.

    A negative n counts backwards: the working day with exactly |n| working days in [result, start).
    """
    step = ONE_DAY if n >= 0 else -ONE_DAY
    remaining = abs(n)
    d = start
    known_all = True
    while remaining:
        d += step
        working, known = day_status(d)
        known_all = known_all and known
        remaining -= working
    return Due(d, not known_all)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Number of working days in (start, end]; negative (the count in (end, start]) when end < start."""
    if end < start:
        return -working_days_between(end, start)
    total = 0
    for year in range(start.year, end.year + 1):
        flags = _year(year).working
        first = start.timetuple().tm_yday if year == start.year else 0  # (start, …: skip start itself
        last = end.timetuple().tm_yday if year == end.year else len(flags)
        total += sum(flags[first:last])
    return total


def range_is_known(start: datetime.date, end: datetime.date) -> bool:
    """True when every year from start to end (either order) has calendar data."""
    lo, hi = sorted((start.year, end.year))
    return all(_year(y).known for y in range(lo, hi + 1))
