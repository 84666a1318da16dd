"""Reads for lists and pages: filters, keyset pagination and capped counts (fast at 1M rows)."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db.models import Q, QuerySet

from xinfang.cases.permissions import visible_cases
from xinfang.core import clock
from xinfang.orgs.models import User

from .choices import CLOSED_STATUSES, Flag
from .models import Case, Category

FLAG_FIELDS = set(Flag.values)
# Primary keys are 64-bit: a larger (or non-positive) id names no row, and would overflow the database driver.
MAX_ID = 2**63 - 1


def _row_id(value) -> int | None:
    """A filter value as a primary key, or None when it cannot be one (the filter then matches nothing)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


def filtered_cases(user: User, params: dict) -> QuerySet:
    """Cases the user may see, narrowed by the list filters (already validated by CaseFilterForm)."""
    qs = visible_cases(user)
    # PostgreSQL refuses NUL in any string parameter; no filter value means one (the API passes raw strings).
    params = {k: v.replace("\x00", "") if isinstance(v, str) else v for k, v in params.items()}
    if q := (params.get("q") or "").strip():
        for word in q.split()[:5]:
            qs = qs.filter(search_text__contains=word)
    if status := params.get("status"):
        qs = qs.filter(status=status)
    if unit := params.get("unit"):
        unit_id = _row_id(unit)
        qs = qs.filter(responsible_unit_id=unit_id) if unit_id else qs.none()
    if channel := params.get("channel"):
        qs = qs.filter(channel=channel)
    if category := params.get("category"):
        # A first-level category means itself and its children; resolve the ids first so the case
        # query stays on its own indexes instead of joining the category table.
        if (category_id := _row_id(category)) is None:
            return qs.none()
        ids = [category_id, *Category.objects.filter(parent_id=category_id).values_list("id", flat=True)]
        qs = qs.filter(category_id__in=ids)
    if nature := params.get("nature"):
        qs = qs.filter(nature=nature)
    if (flag := params.get("flag")) in FLAG_FIELDS:
        qs = qs.filter(**{flag: True})
    if date_from := params.get("date_from"):
        qs = qs.filter(received_date__gte=date_from)
    if date_to := params.get("date_to"):
        qs = qs.filter(received_date__lte=date_to)
    if params.get("overdue"):
        qs = qs.filter(due_date__lt=clock.today()).exclude(status__in=CLOSED_STATUSES)
    return qs


@dataclass
class Page:
    rows: list[Case]
    next_cursor: str | None
    count: int
    count_capped: bool
    is_first: bool


def encode_cursor(case: Case) -> str:
    raw = f"{case.registered_at.isoformat()}|{case.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        ts, pk = raw.split("|")
        when = datetime.fromisoformat(ts)
        pk = _row_id(pk)
    except (ValueError, UnicodeDecodeError):
        return None
    if pk is None:
        return None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)), pk


def paginate(qs: QuerySet, cursor: str | None, size: int = 20) -> Page:
    """Keyset pagination on (registered_at, id) descending: page N costs the same as page 1."""
    ordered = qs.order_by("-registered_at", "-id")
    after = decode_cursor(cursor) if cursor else None
    if after:
        ts, pk = after
        ordered = ordered.filter(Q(registered_at__lt=ts) | Q(registered_at=ts, id__lt=pk))
    rows = list(
        ordered.select_related("category", "category__parent", "responsible_unit").prefetch_related(
            "parties__petitioner"
        )[: size + 1]
    )
    next_cursor = encode_cursor(rows[size - 1]) if len(rows) > size else None
    cap = settings.XINFANG["LIST_COUNT_CAP"]
    # Count at most cap+1 rows: a COUNT(*) over a million rows on every page is what we avoid.
    count = qs.order_by()[: cap + 1].count()
    return Page(rows[:size], next_cursor, min(count, cap), count > cap, after is None)
