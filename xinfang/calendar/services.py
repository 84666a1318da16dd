"""Working-day arithmetic on the Chinese calendar (design.md §4, domain/petition.md §2.4).

A day's status comes from the HolidayOverride table first, then the chinese-calendar package. A year is
"known" when the package covers it or an administrator has marked its schedule complete (CalendarYear);
override rows alone never make a year known, since one 调休 row says nothing about the rest of the year.
In an unknown year Mon–Fri count as working days, weekends as rest days (overrides still apply), and every
result that depends on such a day is marked provisional. Nothing here raises for a missing year.

Each year is turned into a 365/366-entry table once per process (one query for its overrides, one more for
its CalendarYear row when the package does not cover it); the table is dropped when an override or a
CalendarYear row is saved or deleted, and re-read after CALENDAR_CACHE_SECONDS so that other processes
pick up imports and markings too.
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
    first: int  # ordinal of 1 January
    working: bytes  # one byte per day of the year, 1 = working day
    expires: float  # time.monotonic() after which the overrides are read again

    def covers(self, ordinal: int) -> bool:
        return 0 <= ordinal - self.first < len(self.working)

    def is_working(self, ordinal: int) -> bool:
        return bool(self.working[ordinal - self.first])


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
    from .models import CalendarYear, HolidayOverride

    first = datetime.date(year, 1, 1).toordinal()
    flags = bytearray(_package_year(year))
    rows = HolidayOverride.objects.filter(date__year=year).values_list("date", "is_working_day")
    for d, working in rows:
        flags[d.toordinal() - first] = working
    known = package_covers(year) or CalendarYear.objects.filter(year=year, complete=True).exists()
    return _Year(known, first, bytes(flags), time.monotonic() + _cache_seconds())


def _year(year: int) -> _Year:
    entry = _years.get(year)
    if entry is None or time.monotonic() >= entry.expires:
        entry = _load_year(year)
        with _lock:
            _years[year] = entry
    return entry


def _year_of(ordinal: int) -> _Year:
    return _year(datetime.date.fromordinal(ordinal).year)


def clear_cache() -> None:
    """Forget the loaded years (called when overrides or CalendarYear rows change; tests call it between cases)."""
    with _lock:
        _years.clear()


def year_is_known(year: int) -> bool:
    """True when chinese-calendar covers the year or an administrator has marked its schedule complete."""
    return _year(year).known


def day_status(d: datetime.date) -> tuple[bool, bool]:
    """(is_working_day, known): override table first, then chinese-calendar, else Mon–Fri."""
    entry = _year(d.year)
    return entry.is_working(d.toordinal()), entry.known


def is_working_day(d: datetime.date) -> bool:
    """调休 weekend make-up days are working days; in unknown years Mon–Fri are."""
    return day_status(d)[0]


def _walk(start: datetime.date, count: int, step: int) -> tuple[datetime.date, bool]:
    """The count-th working day after start, going by `step` (+1/-1), start itself not counted; with
    count = 0, the first working day on or after start. Also says whether every year looked at is known.

    Works on ordinals and whole-year tables because deadline sweeps call it for every open case.
    """
    o = start.toordinal() + (step if count else 0)
    entry = _year_of(o)
    known = entry.known
    while True:
        if not entry.covers(o):
            entry = _year_of(o)
            known = known and entry.known
        if entry.working[o - entry.first]:
            if count <= 1:
                return datetime.date.fromordinal(o), known
            count -= 1
        o += step


def _roll(d: datetime.date) -> tuple[datetime.date, bool]:
    """The first working day on or after d, and whether every day looked at was known."""
    return _walk(d, 0, 1)


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
    if n == 0:
        return Due(start, False)
    end, known = _walk(start, abs(n), 1 if n > 0 else -1)
    return Due(end, not known)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Number of working days in (start, end]; negative (the count in (end, start]) when end < start."""
    if end < start:
        return -working_days_between(end, start)
    total = 0
    o, last = start.toordinal() + 1, end.toordinal()
    while o <= last:
        entry = _year_of(o)
        stop = min(last + 1, entry.first + len(entry.working))  # exclusive
        total += entry.working.count(1, o - entry.first, stop - entry.first)
        o = stop
    return total


def range_is_known(start: datetime.date, end: datetime.date) -> bool:
    """True when every year from start to end (either order) has calendar data."""
    lo, hi = sorted((start.year, end.year))
    return all(_year(y).known for y in range(lo, hi + 1))


def set_year_complete(year: int, complete: bool, *, actor=None, note: str | None = None, via: str = ""):
    """Mark (or unmark) a year's holiday schedule as complete; returns (CalendarYear, changed).

    One transaction: the row (created on first use) is locked, updated with who and when, and the change is
    appended to the audit chain as calendar.year.complete / calendar.year.incomplete. Marking a year the way
    it already is changes nothing and records nothing (a double submit is harmless). `note=None` keeps the
    current note. Raises ValueError (Chinese message) for a year outside MIN_YEAR..MAX_YEAR.
    """
    from django.db import transaction
    from django.utils import timezone

    from xinfang.audit.services import record

    from .models import MAX_YEAR, MIN_YEAR, CalendarYear, HolidayOverride

    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"年份应在 {MIN_YEAR} 到 {MAX_YEAR} 之间：{year}")
    with transaction.atomic():
        row, created = CalendarYear.objects.select_for_update().get_or_create(year=year)
        if not created and row.complete == complete and (note is None or note == row.note):
            return row, False
        before = None if created else row.snapshot()
        row.complete = complete
        if note is not None:
            row.note = note
        row.marked_by = actor if getattr(actor, "pk", None) else None
        row.marked_at = timezone.now()
        row.save()
        after = {
            **row.snapshot(),
            "overrides": HolidayOverride.objects.filter(date__year=year).count(),
            "package": package_covers(year),
            "via": via,
        }
        action = "calendar.year.complete" if complete else "calendar.year.incomplete"
        record(action, actor=actor, obj=row, before=before, after=after)
    return row, True
