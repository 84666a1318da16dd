"""Cases in a given state for supervision tests (written directly, as the factory does)."""

from __future__ import annotations

from datetime import date

from tests.factories import make_case
from xinfang.cases.choices import Status


def handling_case(unit, due: date, **fields):
    """A case accepted by `unit` whose handling deadline (and running step) is `due`."""
    fields.setdefault("received", date(due.year, 1, 5) if due.month > 3 else date(due.year - 1, 12, 1))
    return make_case(
        unit=unit,
        status=Status.HANDLING,
        current_step="handling",
        due_date=due,
        handling_due_date=due,
        **fields,
    )
