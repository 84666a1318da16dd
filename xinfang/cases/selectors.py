"""Reads for lists and pages: filters, keyset pagination and capped counts (fast at 1M rows)."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import F, Q, QuerySet

from xinfang.calendar.services import add_working_days
from xinfang.cases.permissions import visible_cases
from xinfang.core import clock
from xinfang.orgs.models import User

from . import search
from .choices import CLOSED_STATUSES, Flag
from .models import Case, CaseEvent, Category
from .workflow import queues

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
        qs = search.apply(qs, q, user)
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
        # A case is registered on or after the day it was received, so its registration year (the partition key
        # on PostgreSQL) is at least that day's: the earlier years' partitions are skipped.
        qs = qs.filter(received_date__gte=date_from, year__gte=date_from.year)
    if date_to := params.get("date_to"):
        qs = qs.filter(received_date__lte=date_to)
    if params.get("todo"):
        qs = queues.todo(user, qs)
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
    number: int | None = None  # the page number when known (jumped to, or counted along the "next" links)
    size: int = 20
    next_number: int | None = None  # lists ordered by deadline page by number, not by cursor

    @property
    def pages(self) -> int:
        """Pages within the counted rows (a capped count gives the pages up to the cap)."""
        return max(1, -(-self.count // self.size))


def page_number(value) -> int | None:
    """A page number from the query string, or None when it is not a sensible one."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= 1_000_000 else None


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


def paginate(
    qs: QuerySet,
    cursor: str | None,
    size: int = 20,
    *,
    number: int | None = None,
    jump: int | None = None,
    order: str = "registered",
) -> Page:
    """Keyset pagination on (registered_at, id) descending: page N costs the same as page 1. `jump` goes to a
        numbered page within the counted rows instead (an OFFSET bounded by LIST_COUNT_CAP); from there the "next"
        links are keyset again. `number` is the page number the caller carried along, for display. A to-do list
    (order="deadline": soonest deadline first) pages by number only: it is one unit's or one desk's work. So does a
    received-date range (order="received": newest receipt first, on the (received_date, id) index): walking the
    registration order for an old quarter would read and discard every newer case first."""
    by_number = order in ("deadline", "received")
    ordered = {
        "deadline": lambda: qs.order_by(F("due_date").asc(nulls_last=True), "id"),
        "received": lambda: qs.order_by("-received_date", "-id"),
    }.get(order, lambda: qs.order_by("-registered_at", "-id"))()
    cap = settings.XINFANG["LIST_COUNT_CAP"]
    count = capped_count(qs, cap)
    offset, after = 0, None
    if by_number:
        jump = jump or number
    if jump is not None and jump > 1:
        number = min(jump, max(1, -(-min(count, cap) // size)))
        offset = (number - 1) * size
    elif cursor:
        after = decode_cursor(cursor)
    if after:
        ts, pk = after
        ordered = ordered.filter(Q(registered_at__lt=ts) | Q(registered_at=ts, id__lt=pk))
    rows = _page_rows(ordered, offset, size + 1)
    more = len(rows) > size
    next_cursor = encode_cursor(rows[size - 1]) if more and not by_number else None
    is_first = after is None and offset == 0
    number = 1 if is_first else number
    next_number = (number or 1) + 1 if more and by_number else None
    return Page(rows[:size], next_cursor, min(count, cap), count > cap, is_first, number, size, next_number)


def _page_rows(ordered: QuerySet, offset: int, limit: int) -> list[Case]:
    """The page's cases in two steps: the ids (and years) in list order first, then those rows with what the
    table shows. Sorting and filtering narrow rows before joining the categories and units for the page alone
    matters when a filter's rows are sorted whole (a unit's to-do list: every open case of the unit); the
    years let the second read go to those partitions only."""
    keys = list(ordered.values_list("pk", "year")[offset : offset + limit])
    if not keys:
        return []
    found = Case.objects.filter(pk__in=[pk for pk, _ in keys], year__in={year for _, year in keys})
    found = found.select_related("category", "category__parent", "responsible_unit")
    by_id = {case.pk: case for case in found.prefetch_related("parties__petitioner")}
    return [by_id[pk] for pk, _ in keys if pk in by_id]  # a case deleted between the two reads is left out


def capped_count(qs: QuerySet, cap: int) -> int:
    """How many rows the list has, counted up to cap+1 (a COUNT(*) over a million rows is what we avoid).

    The count is kept in the cache under the count's SQL and the highest case and event ids. Every change to a
    case writes an event (registration, each workflow action, each ruling) and a new case is a new id, so the
    cached figure is exact until a case changes; the next page, a refresh or a colleague with the same scope and
    filters skips the count, which for a unit's or a wide filter's list is most of the page's database time.
    (Not the audit trail's length: a search by a person's name or ID number is itself an audit row, and would
    make every such search count again.) The day is in the key too: "overdue" moves at midnight without any
    write. COUNT_CACHE_SECONDS bounds what the key cannot see: an edit made outside the services, or a
    transaction that took a lower event id and committed after a higher one had been counted.
    """
    capped = qs.order_by()[: cap + 1]
    try:
        sql, params = capped.query.sql_with_params()
    except EmptyResultSet:  # qs.none(): a role that sees no case
        return 0
    with connections[capped.db].cursor() as cursor:
        cursor.execute(VERSION_SQL)
        version = cursor.fetchone()
    key = hashlib.sha256(repr((capped.db, sql, params, version, clock.today())).encode()).hexdigest()
    key = f"case-list-count:{key}"
    count = cache.get(key)
    if count is None:
        count = capped.count()
        cache.set(key, count, COUNT_CACHE_SECONDS)
    return count


COUNT_CACHE_SECONDS = 120
VERSION_SQL = (
    f"SELECT (SELECT MAX(id) FROM {Case._meta.db_table}), "  # noqa: S608 (model tables)
    f"(SELECT MAX(id) FROM {CaseEvent._meta.db_table})"
)


def mark_deadline_states(rows: list[Case]) -> None:
    """Set `deadline_state` on each open case of a list page: "overdue" past its running deadline, "at_risk"
    within the supervision threshold (working days; supervision.conf's AT_RISK_WORKING_DAYS, read here from
    settings because cases must not import supervision), else "". A closed case's old deadline is not shown."""
    today = clock.today()
    days = int(settings.XINFANG.get("SUPERVISION", {}).get("AT_RISK_WORKING_DAYS", 3))
    horizon = add_working_days(today, days).date
    for c in rows:
        open_due = c.due_date if c.status not in CLOSED_STATUSES else None
        c.open_due = open_due
        c.deadline_state = (
            ""
            if open_due is None
            else "overdue"
            if open_due < today
            else "at_risk"
            if open_due <= horizon
            else ""
        )


ORDER_LABELS = {
    "deadline": "按期限先后排列",
    "received": "按收到日期由近及远排列",
    "registered": "按登记时间由近及远排列",
}


def list_order(get) -> str:
    """How a list is ordered: a to-do list and the overdue list by deadline (the most overdue first, on the
    open-deadline index), a received-date range by receipt, else newest first."""
    if get.get("todo") or get.get("overdue"):
        return "deadline"
    return "received" if get.get("date_from") or get.get("date_to") else "registered"


def list_page(qs: QuerySet, get) -> dict:
    """The context a case-list table needs (cases/_list_table.html) from the request's query parameters: the
    page (cursor, carried page number or a jump), deadline marks, and the filters to keep on every link."""
    order = list_order(get)
    page = paginate(
        qs, get.get("after"), number=page_number(get.get("p")), jump=page_number(get.get("page")), order=order
    )
    mark_deadline_states(page.rows)
    query = get.copy()
    for key in ("after", "p", "page"):
        query.pop(key, None)
    return {
        "page": page,
        "order_label": ORDER_LABELS[order],
        "query": query.urlencode(),
        "kept": [(k, v) for k, vs in query.lists() for v in vs],
    }
