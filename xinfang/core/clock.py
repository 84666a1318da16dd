"""The clock the domain reads: `now()` and `today()`, which a caller may set for a block of code.

Workflow, registration and the windows they open read the time here, not from `timezone.now()`, so
that the demo generator can replay a case's history at back-dated moments (`at(moment)`) through the
same services a user calls, and every record it writes carries the moment the step happened. The audit
trail deliberately keeps the real time of writing. Tests may still freeze time with time-machine: the
default reads `timezone.now()`, which it patches.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

_override: ContextVar[datetime.datetime | None] = ContextVar("xinfang_clock", default=None)


def now() -> datetime.datetime:
    return _override.get() or timezone.now()


def today() -> datetime.date:
    return timezone.localdate(now())


@contextmanager
def at(moment: datetime.datetime) -> Iterator[datetime.datetime]:
    """Run the block as if it were `moment` (an aware datetime)."""
    if timezone.is_naive(moment):
        raise ValueError("clock.at needs an aware datetime")
    token = _override.set(moment)
    try:
        yield moment
    finally:
        _override.reset(token)
