"""One pass over a cohort kind's rollup rows for a period: its totals and every breakdown the dashboard reads.

The statistics object and the unit ranking ask the rollups some twenty questions (each rate's counters, the
registration sums, six breakdowns, the per-unit counters); asked one by one, each scans the same rows of the
period again. `summary` answers them all for one kind in one statement — GROUPING SETS on PostgreSQL, one scan
and a hash per set; the same sets joined by UNION ALL on SQLite — and, inside `shared_reads()` (one statistics
object, one dashboard page), kept for the other questions.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connections, router
from django.utils import timezone

from xinfang.orgs.models import Organisation

from .models import CohortKind, CohortRollup

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


def _where(kind: str, q) -> tuple[str, list]:
    sql, params = ["kind = %s", "day >= %s", "day <= %s"], [kind, q.start, q.end]
    if q.scope.unit is not None:
        sub, sub_params = (
            Organisation.objects.filter(path__startswith=q.scope.unit.path)
            .values("pk")
            .query.sql_with_params()
        )
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
