"""Marking a year's holiday schedule complete (or not): what makes deadlines in that year definitive."""

from __future__ import annotations

from xinfang.audit.services import record

from .models import CalendarYear


def mark_year(year: int, *, complete: bool, actor=None, note: str = "") -> CalendarYear:  # noqa: ANN001
    row, _ = CalendarYear.objects.get_or_create(year=year)
    before = {"complete": row.complete}
    row.complete, row.marked_by, row.note = complete, actor, note[:200]
    row.save()
    record("calendar.year_complete" if complete else "calendar.year_incomplete", actor=actor, obj=row,
           before=before, after={"complete": complete, "note": row.note})  # fmt: skip
    return row
