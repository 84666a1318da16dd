"""One pass over a cohort kind's rollup rows for a period: its totals and every breakdown the dashboard reads.

The statistics object and the unit ranking ask the rollups some twenty questions (each rate's counters, the
registration sums, six breakdowns, the per-unit counters); asked one by one, each scans the same rows of the
period again. `summary` answers them all for one kind in one statement — GROUPING SETS on PostgreSQL, one scan
and a hash per set; the same sets joined by UNION ALL on SQLite — and, inside `shared_reads()` (one statistics
object, one dashboard page), kept for the other questions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, timedelta
from typing import TypeVar

from django.db import connections, router
from django.utils import timezone

from xinfang.orgs.models import Organisation

from .models import CohortKind, CohortRollup, UnitRollup

# The breakdowns of registrations (their counts only); every kind is also summed whole and per unit (the ranking).
BREAKDOWNS = ("channel", "nature", "category", "place", "month")
INTEGER_DIMENSIONS = {"unit", "category", "place", "month"}
# The counters each kind's readers ask for ("overdue"/"not_due": its "open" counter split at today).
KIND_COUNTERS = {
    CohortKind.REGISTERED: ("total", "repeats", "collective", "collective_people", "level_skipping", "to_beijing",
                            "suggestion", "adopted", "partly_adopted", "not_adopted"),
    CohortKind.TRIAGE: ("total", "in_time", "late", "overdue", "not_due", "excluded_a", "excluded_b"),
    CohortKind.HANDLING: ("total", "in_time", "late", "overdue", "not_due", "excluded_a", "excluded_b"),
    CohortKind.REPLIED: ("total", "handling_seconds"),
    CohortKind.EVALUATED: ("total", "satisfied", "basically", "unsatisfied"),
    CohortKind.EVAL_WINDOW: ("total", "overdue"),
}  # fmt: skip


def _column(dim: str, vendor: str) -> str:
    if dim == "month":  # as the integer YYYYMM: cheaper to group than a formatted string
        if vendor == "postgresql":
            return (
                "(CAST(date_part('year', day) AS INTEGER) * 100 + CAST(date_part('month', day) AS INTEGER))"
            )
        return "CAST(strftime('%%Y%%m', day) AS INTEGER)"
    return {"unit": "unit_id", "category": "category_id"}.get(dim, dim)


def _subtree(unit: Organisation) -> tuple[str, tuple]:
    """SQL selecting the ids of `unit` and every unit below it."""
    return Organisation.objects.filter(path__startswith=unit.path).values("pk").query.sql_with_params()


def _where(kind: str, q) -> tuple[str, list]:
    sql, params = ["kind = %s", "day >= %s", "day <= %s"], [kind, q.start, q.end]
    if q.scope.unit is not None:
        sub, sub_params = _subtree(q.scope.unit)
        sql.append(f"unit_id IN ({sub})")
        params += list(sub_params)
    if q.scope.category is not None:
        ids = q.scope.category_ids()
        sql.append(f"category_id IN ({', '.join(['%s'] * len(ids))})")
        params += ids
    return " AND ".join(sql), params


def _sums(names: tuple[str, ...], today) -> tuple[str, list]:
    parts, params = [], []
    for name in names:
        if name in ("overdue", "not_due"):
            parts.append(f'SUM(CASE WHEN day {"<" if name == "overdue" else ">="} %s THEN "open" ELSE 0 END)')
            params.append(today)
        else:
            parts.append(f"SUM({name})")
    return ", ".join(parts), params


def _statement(kind: str, q, sets: list[str | None], names: tuple[str, ...], today, vendor: str):
    """One statement summing `names` over `kind`'s rows of the period for each grouping in `sets` (None: the
    whole). Rows: (dimension or "", value as integer or text, *sums). Every name put into the SQL comes from this
    module's constants or the model; values are parameters."""
    table = CohortRollup._meta.db_table
    where, where_params = _where(kind, q)
    sums, sum_params = _sums(names, today)
    dims = [d for d in sets if d is not None]
    if vendor == "postgresql":
        which = " ".join(f"WHEN GROUPING({_column(d, vendor)}) = 0 THEN '{d}'" for d in dims)
        value = ", ".join(f"CAST({_column(d, vendor)} AS TEXT)" for d in dims)
        grouping = ", ".join("()" if d is None else f"({_column(d, vendor)})" for d in sets)
        select = f"SELECT CASE {which} ELSE '' END, COALESCE({value}), {sums} FROM {table}"  # noqa: S608
        return f"{select} WHERE {where} GROUP BY GROUPING SETS ({grouping})", [*sum_params, *where_params]
    branches = []
    for d in sets:
        if d is None:
            branches.append(f"SELECT '', NULL, {sums} FROM {table} WHERE {where}")  # noqa: S608
        else:
            col = _column(d, vendor)
            select = f"SELECT '{d}', CAST({col} AS TEXT), {sums} FROM {table}"  # noqa: S608
            branches.append(f"{select} WHERE {where} GROUP BY {col}")
    return " UNION ALL ".join(branches), [*sum_params, *where_params] * len(branches)


T = TypeVar("T")
_shared: ContextVar[dict | None] = ContextVar("rollup_summaries", default=None)


@contextmanager
def shared_reads() -> Iterator[None]:
    """Within this block a summary is read once per kind and query, then reused (nested blocks share it). Keep
    it to one answer's worth of reads: a write inside it would not be seen."""
    if _shared.get() is not None:
        yield
        return
    token = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(token)


def summary(kind: str, q) -> dict[str, dict]:
    """{"": {None: counters}, "unit": {unit_id: counters}, and for registrations "channel": {…}: {"total": n},
    …} for `kind` over q's period and scope; the counters are KIND_COUNTERS[kind]."""
    today = timezone.localdate(q.now or timezone.now())
    cache = _shared.get()
    key = (
        kind,
        q.start,
        q.end,
        q.scope.unit and q.scope.unit.pk,
        q.scope.category and q.scope.category.pk,
        today,
    )
    if cache is not None and key in cache:
        return cache[key]
    connection = connections[router.db_for_read(CohortRollup)]  # a replica when there is one
    names = KIND_COUNTERS[kind]
    if q.scope.category is None:
        out = _from_unit_rollups(kind, q, today, connection)
        if cache is not None:
            cache[key] = out
        return out
    statements = [([None, "unit"], names)]
    if kind == CohortKind.REGISTERED:
        statements.append((list(BREAKDOWNS), ("total",)))  # the breakdowns need the count alone
    out: dict[str, dict] = {"": {None: dict.fromkeys(names, 0)}, "unit": {}}
    with connection.cursor() as cur:
        for sets, summed in statements:
            out.update({d: {} for d in sets if d})
            cur.execute(*_statement(kind, q, sets, summed, today, connection.vendor))
            for dim, value, *sums in cur.fetchall():
                if dim and value is None:
                    continue  # a set over no rows
                group = (int(value) if dim in INTEGER_DIMENSIONS else value) if dim else None
                out[dim][group] = {name: int(n or 0) for name, n in zip(summed, sums, strict=True)}
    if cache is not None:
        cache[key] = out
    return out


def period_parts(start: date, end: date, today: date) -> tuple[list[date], list[tuple[date, date]]]:
    """[start, end] as the whole months UnitRollup's month rows can answer (not the month of `today`, whose open
    cases are split at today) and the day ranges left over for its day rows."""
    months, ranges, day = [], [], start
    while day <= end:
        first = day.replace(day=1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        if day == first and last <= end and not first <= today <= last:
            months.append(first)
            day = last + timedelta(days=1)
            continue
        upto = min(end, last)
        if ranges and ranges[-1][1] + timedelta(days=1) == day:
            ranges[-1] = (ranges[-1][0], upto)
        else:
            ranges.append((day, upto))
        day = upto + timedelta(days=1)
    return months, ranges


def _period_where(q, today) -> tuple[str, list]:
    months, ranges = period_parts(q.start, q.end, today)
    parts, params = [], []
    if months:
        parts.append(f"(grain = 'm' AND day IN ({', '.join(['%s'] * len(months))}))")
        params += months
    if ranges:
        parts.append("(grain = 'd' AND (" + " OR ".join(["day BETWEEN %s AND %s"] * len(ranges)) + "))")
        params += [d for pair in ranges for d in pair]
    return "(" + " OR ".join(parts) + ")", params


def shared(name: str, compute: Callable[[], T]) -> T:
    """`compute()`, once per shared_reads() block (every time outside one)."""
    cache = _shared.get()
    if cache is None:
        return compute()
    if name not in cache:
        cache[name] = compute()
    return cache[name]


def _roots() -> list[int]:
    """The organisations at the top of the tree: their rows hold everything."""
    return shared(
        "roots",
        lambda: list(Organisation.objects.filter(parent__isnull=True).values_list("pk", flat=True)) or [0],
    )


def _from_unit_rollups(kind: str, q, today, connection) -> dict[str, dict]:
    """summary() from UnitRollup (no category scope): the scope's totals from the rows of its root unit(s), the
    per-unit counters from each unit's own rows, and for registrations the breakdowns and months at the root."""
    table = UnitRollup._meta.db_table
    names = KIND_COUNTERS[kind]
    if q.scope.unit is not None:
        roots = [q.scope.unit.pk]
        below, below_params = _subtree(q.scope.unit)
        own = f"(own AND unit_id IN ({below}))"
    else:
        roots = _roots()
        own, below_params = "own", ()
    at_roots = f"unit_id IN ({', '.join(['%s'] * len(roots))})"
    period, period_params = _period_where(q, today)
    sums, sum_params = _sums(names, today)
    out: dict[str, dict] = {"": {None: dict.fromkeys(names, 0)}, "unit": {}}
    totals = out[""][None]
    root_set = set(roots)
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT unit_id, own, {sums} FROM {table} WHERE kind = %s AND dim = '' AND {period} "  # noqa: S608
            f"AND ({own} OR {at_roots}) GROUP BY unit_id, own",
            [*sum_params, kind, *period_params, *below_params, *roots],
        )
        for unit, is_own, *values in cur.fetchall():
            counters = {name: int(n or 0) for name, n in zip(names, values, strict=True)}
            if unit in root_set:
                for name, n in counters.items():
                    totals[name] += n
            if is_own:
                mine = out["unit"].setdefault(unit, dict.fromkeys(names, 0))
                for name, n in counters.items():
                    mine[name] += n
        if kind != CohortKind.REGISTERED:
            return out
        month = _column("month", connection.vendor)
        cur.execute(
            f"SELECT dim, value, SUM(total) FROM {table} WHERE kind = %s AND dim <> '' AND {period} "  # noqa: S608
            f"AND {at_roots} GROUP BY dim, value UNION ALL "
            f"SELECT 'month', CAST({month} AS TEXT), SUM(total) FROM {table} WHERE kind = %s AND dim = '' "
            f"AND {period} AND {at_roots} GROUP BY {month}",
            [kind, *period_params, *roots, kind, *period_params, *roots],
        )
        out.update({d: {} for d in BREAKDOWNS})
        for dim, value, n in cur.fetchall():
            if n:
                group = int(value) if dim in INTEGER_DIMENSIONS else value
                row = out[dim].setdefault(group, {"total": 0})
                row["total"] += int(n)
    return out
