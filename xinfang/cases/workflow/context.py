"""What an effect works on: the action being taken, its inputs, and what it will change and write.

An effect reads `Ctx` and fills in `changes` (case fields), `event_data`, `note`, `records` (unsaved
rows that the engine ties to the case and the event and inserts in the same transaction) and the
document to render. It never writes to the database itself, so the bulk path can apply the same effects
to unsaved cases.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone

from xinfang.core.errors import ValidationFailed
from xinfang.orgs.models import Organisation, User

from ..models import Case
from . import deadlines
from .table import Action


@dataclass
class Ctx:
    case: Case
    actor: User
    action: Action
    data: dict[str, Any]
    on: datetime.date
    at: datetime.datetime
    profile: deadlines.Profile
    changes: dict[str, Any] = field(default_factory=dict)
    unit: Organisation | None = None
    note: str = ""
    event_data: dict[str, Any] = field(default_factory=dict)
    # Unsaved rows with a `case` (and optionally `event`) foreign key, inserted by the engine.
    records: list[models.Model] = field(default_factory=list)
    # Row updates that cannot be inserts (a hearing lengthens the current review request), run last.
    updates: list[Callable[[], None]] = field(default_factory=list)
    document: str | None = None
    doc_extra: dict[str, Any] = field(default_factory=dict)


def invalid(field_name: str, message: str) -> ValidationFailed:
    return ValidationFailed({field_name: [message]})


def localdate(value: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(value) if value else None


def clock_fields(step: str, due: deadlines.Due | None) -> dict[str, Any]:
    """The running clock of a case: its step, due date and whether the date rests on a provisional year."""
    if due is None:
        return {"current_step": step, "due_date": None, "deadline_provisional": False}
    return {"current_step": step, "due_date": due.date, "deadline_provisional": due.provisional}


def stopped_clock() -> dict[str, Any]:
    return clock_fields("", None)
