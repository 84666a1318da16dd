"""Cohort rollups that stay right: each case's share of CohortRollup, recomputed whenever the case changes.

`shares(case)` says what one case adds to which rollup row, from the case as it is now (the same rules as
metrics.py, in Python). `refresh(case)` runs inside the transaction of the change (workflow hooks, the
registration signal, an evaluation being saved): it subtracts the share recorded in CaseRollupState and adds
the new one, so a case that moves (an extension moves its handling deadline) leaves its old row. `rebuild`
recomputes everything from the cases (after bulk loads, or to repair).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from xinfang.cases.choices import Nature, Status
from xinfang.cases.models import Case, Category
from xinfang.core import bulk_write
from xinfang.orgs.models import Organisation
from xinfang.portal.selectors import rated_evaluations

from . import metrics
from .models import COHORT_COUNTERS, CaseRollupState, CohortKind, CohortRollup, UnitRollup

Key = tuple[str, str, int, int, str, str, int]  # kind, day (ISO), unit, category, channel, nature, place
Shares = dict[Key, dict[str, int]]
UNREAD = object()  # "look it up": shares() reads the evaluation itself


def _done(moment, due: date) -> dict[str, int]:
    if moment is None:
        return {"total": 1, "open": 1}
    return {"total": 1, "in_time" if timezone.localdate(moment) <= due else "late": 1}


def _cohort(leaves: tuple[bool, bool], done: dict[str, int]) -> dict[str, int]:
    """A deadline cohort member, or the leave counters alone when it leaves the cohort (as metrics.py counts)."""
    if any(leaves):
        return {name: 1 for name, left in zip(("excluded_a", "excluded_b"), leaves, strict=True) if left}
    return done


def shares(case: Case, evaluation=UNREAD, is_repeat: bool | None = None) -> Shares:
    """What `case` adds to the rollups now. `evaluation` (None: there is none) and `is_repeat` are read when not
    given."""
    if evaluation is UNREAD:
        evaluation = rated_evaluations().filter(case_id=case.pk).first()
    if is_repeat is None:
        # A repeat needs an earlier related case or the 不再受理 status (metrics.repeat_condition).
        could_be = case.related_case_id is not None or case.status == Status.NOT_REACCEPTED
        is_repeat = could_be and Case.objects.filter(pk=case.pk).filter(metrics.repeat_condition()).exists()
    unit = case.responsible_unit_id or case.registering_org_id
    # Registrations are broken down by every dimension; the deadline and evaluation cohorts only by the ones the
    # rates are scoped by (unit, category, channel), so they take far fewer rows.
    coarse = (unit, case.category_id, case.channel, "", 0)
    fine = (unit, case.category_id, case.channel, case.nature, case.place_organisation_id or 0)
    out: Shares = {}

    def add(kind: str, day: date, counters: dict[str, int]) -> None:
        if counters:
            out[(kind, day.isoformat(), *(fine if kind == CohortKind.REGISTERED else coarse))] = counters

    reg = {"total": 1, "repeats": int(is_repeat)}
    if case.is_collective:
        reg.update(collective=1, collective_people=case.headcount)
    reg.update(level_skipping=int(case.is_level_skipping), to_beijing=int(case.is_to_beijing))
    if case.nature == Nature.SUGGESTION:
        reg["suggestion"] = 1
        if case.outcome in ("adopted", "partly_adopted", "not_adopted"):
            reg[case.outcome] = 1
    add(CohortKind.REGISTERED, timezone.localdate(case.registered_at), {k: v for k, v in reg.items() if v})
    if case.triage_due_date:
        direct = case.registering_org.kind != "bureau"
        merged = case.status in metrics.TRIAGE_ENDED_UNTRIAGED and case.triaged_at is None
        add(
            CohortKind.TRIAGE,
            case.triage_due_date,
            _cohort((direct, merged), _done(case.triaged_at, case.triage_due_date)),
        )
    if case.handling_due_date:
        withdrawn = case.status == Status.WITHDRAWN
        diverted = case.status == Status.INFORMED and case.accepted_at is not None
        add(
            CohortKind.HANDLING,
            case.handling_due_date,
            _cohort((withdrawn, diverted), _done(case.replied_at, case.handling_due_date)),
        )
    if case.accepted_at and case.replied_at:
        took = int((case.replied_at - case.accepted_at).total_seconds())
        add(CohortKind.REPLIED, timezone.localdate(case.replied_at), {"total": 1, "handling_seconds": took})
    if evaluation is not None:
        evaluated = evaluation.status == "evaluated" and evaluation.evaluated_at is not None
        if evaluated:
            result = {"satisfied": "satisfied", "basically": "basically"}.get(
                evaluation.result, "unsatisfied"
            )
            # An approved 申诉核减 keeps the evaluation in 参评率 but out of every 满意率 bucket.
            bucket = {} if getattr(evaluation, "exempted", False) else {result: 1}
            add(CohortKind.EVALUATED, timezone.localdate(evaluation.evaluated_at), {"total": 1, **bucket})
        add(CohortKind.EVAL_WINDOW, evaluation.window_closes, {"total": 1, "open": int(not evaluated)})
    return out


FINE_KEY = ("kind", "day", "unit_id", "category_id", "channel", "nature", "place")
UNIT_KEY = ("kind", "grain", "day", "unit_id", "own", "dim", "value")
BREAKDOWN_DIMENSIONS = ("channel", "nature", "place", "category")
UPSERT_BATCH = 500  # rows per statement: 26 parameters each, well under SQLite's limit


def expand(fine: Shares, paths: dict[int, str], tops: dict[int, int | None]) -> Shares:
    """The UnitRollup increments that `fine` (CohortRollup keys → counters) makes: each at its unit and every
    ancestor, by day and by month; registrations also by one dimension each. `paths`: unit → its materialised
    path; `tops`: category → its parent (None for a top-level one)."""
    out: Shares = defaultdict(lambda: defaultdict(int))
    for (kind, day, unit, category, channel, nature, place), counters in fine.items():
        chain = [int(pk) for pk in paths[unit].strip("/").split("/")]  # root first, the unit itself last
        month = day[:8] + "01"
        values = {"channel": channel, "nature": nature, "place": str(place or 0),
                  "category": str(tops.get(category) or category)}  # fmt: skip
        for grain, start in (("d", day), ("m", month)):
            for org in chain:
                key = (kind, grain, start, org, org == unit, "", "")
                for name, n in counters.items():
                    out[key][name] += n
            if kind == CohortKind.REGISTERED and counters.get("total"):
                for dim in BREAKDOWN_DIMENSIONS:
                    for org in chain:
                        out[(kind, grain, start, org, False, dim, values[dim])]["total"] += counters["total"]
    return out


def _upsert(model, key_fields: tuple[str, ...], rows: Shares) -> None:
    """Add `rows` (key → counter increments) to `model`'s counters in one INSERT … ON CONFLICT DO UPDATE per
    batch (PostgreSQL and SQLite alike): a missing row is created, an existing one incremented, and two
    transactions adding to the same row serialise on it instead of racing to create it."""
    rows = {k: c for k, c in rows.items() if any(c.values())}
    if not rows:
        return
    table = model._meta.db_table
    columns = ", ".join(f'"{c}"' for c in (*key_fields, *COHORT_COUNTERS))
    keys = ", ".join(f'"{c}"' for c in key_fields)
    added = ", ".join(f'"{c}" = {table}."{c}" + excluded."{c}"' for c in COHORT_COUNTERS)
    one = "(" + ", ".join(["%s"] * (len(key_fields) + len(COHORT_COUNTERS))) + ")"
    items = list(rows.items())
    with connection.cursor() as cur:
        for i in range(0, len(items), UPSERT_BATCH):
            batch = items[i : i + UPSERT_BATCH]
            params = []
            for key, counters in batch:
                key = list(key)
                key[key_fields.index("day")] = date.fromisoformat(key[key_fields.index("day")])
                params += [*key, *(counters.get(c, 0) for c in COHORT_COUNTERS)]
            cur.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(batch))} "  # noqa: S608
                f"ON CONFLICT ({keys}) DO UPDATE SET {added}",
                params,
            )


def _apply(fine: Shares) -> None:
    """Write fine increments to CohortRollup and their expansion to UnitRollup."""
    fine = {k: c for k, c in fine.items() if any(c.values())}
    if not fine:
        return  # the change moved nothing: no lookups, no writes
    _upsert(CohortRollup, FINE_KEY, fine)
    paths = dict(Organisation.objects.filter(pk__in={k[2] for k in fine}).values_list("pk", "path"))
    tops = dict(Category.objects.filter(pk__in={k[3] for k in fine}).values_list("pk", "parent_id"))
    _upsert(UnitRollup, UNIT_KEY, expand(fine, paths, tops))


def _decode(stored: list) -> Shares:
    return {tuple(key): counters for key, counters in stored}


# Joins the caller's transaction without a savepoint (a failure fails the change, as it must); alone it makes its own.
@transaction.atomic(savepoint=False)
def refresh(case: Case, *, current: bool = False) -> None:
    """Bring the rollups in line with `case` as saved now. Call inside the transaction that changed it.
    `current`: the caller's copy is the row as saved (the workflow engine's, updated field by field with what
    it wrote, its registering unit loaded), so it is not read again."""
    if not current:
        case = Case.objects.select_related("registering_org").get(pk=case.pk)
    state, _ = CaseRollupState.objects.select_for_update().get_or_create(case_id=case.pk)
    old, new = _decode(state.shares), shares(case)
    if old == new:
        return
    diff: Shares = defaultdict(dict)
    for key, counters in old.items():
        for name, n in counters.items():
            diff[key][name] = diff[key].get(name, 0) - n
    for key, counters in new.items():
        for name, n in counters.items():
            diff[key][name] = diff[key].get(name, 0) + n
    _apply(diff)
    state.shares = [[list(key), counters] for key, counters in new.items()]
    state.save(update_fields=["shares"])


@transaction.atomic
def rebuild(batch: int = 2000) -> int:
    """Recompute every cohort rollup and every case's recorded share from the cases. Returns the row count."""
    CohortRollup.objects.all().delete()
    CaseRollupState.objects.all().delete()
    evaluations = {e.case_id: e for e in rated_evaluations()}
    repeats = set(Case.objects.filter(metrics.repeat_condition()).values_list("pk", flat=True))
    totals: Shares = defaultdict(lambda: defaultdict(int))
    states = []
    for case in Case.objects.select_related("registering_org").iterator(chunk_size=batch):
        mine = shares(case, evaluations.get(case.pk), case.pk in repeats)
        for key, counters in mine.items():
            for name, n in counters.items():
                totals[key][name] += n
        states.append(CaseRollupState(case_id=case.pk, shares=[[list(k), c] for k, c in mine.items()]))
        if len(states) >= batch:
            CaseRollupState.objects.bulk_create(states)
            states = []
    CaseRollupState.objects.bulk_create(states)
    rows = [
        CohortRollup(kind=k, day=d, unit_id=u, category_id=c, channel=ch, nature=n, place=p, **counters)
        for (k, d, u, c, ch, n, p), counters in totals.items()
    ]
    CohortRollup.objects.bulk_create(rows, batch_size=batch)
    rebuild_units(totals)
    return len(rows)


@transaction.atomic
def rebuild_units(fine: Shares | None = None) -> int:
    """Recompute UnitRollup from CohortRollup (it is a function of it and the organisation tree), given as `fine`
    by `rebuild`, else read from the table. Returns its row count. Run it after a unit moves in the tree."""
    UnitRollup.objects.all().delete()
    if fine is None:
        fine = {}
        for row in CohortRollup.objects.values(*FINE_KEY, *COHORT_COUNTERS).iterator(chunk_size=5000):
            row["day"] = row["day"].isoformat()
            fine[tuple(row[f] for f in FINE_KEY)] = {c: row[c] for c in COHORT_COUNTERS if row[c]}
    paths = dict(Organisation.objects.values_list("pk", "path"))
    tops = dict(Category.objects.values_list("pk", "parent_id"))
    units = expand(fine, paths, tops)
    UnitRollup.objects.bulk_create(  # the table is empty: plain inserts, no conflicts to resolve
        (
            UnitRollup(**dict(zip(UNIT_KEY, key, strict=True)), **counters)
            for key, counters in units.items()
            if any(counters.values())
        ),
        batch_size=2000,
    )
    return len(units)


def add_new(cases: list) -> None:
    """Add the shares of cases just inserted in bulk (freshly registered: no evaluation, not a repeat, no
    recorded state yet) in a few upserts, and record each case's share. `cases` may be any objects with the
    attributes `shares` reads (the ledger import passes its rows, not model instances)."""
    totals: Shares = defaultdict(lambda: defaultdict(int))
    make = bulk_write.table(CaseRollupState).maker("case_id", "shares")
    states = []
    for case in cases:
        mine = shares(case, None, False)
        for key, counters in mine.items():
            for name, n in counters.items():
                totals[key][name] += n
        states.append(make(case.pk, [[list(k), c] for k, c in mine.items()]))
    _apply({k: dict(c) for k, c in totals.items()})
    bulk_write.insert(bulk_write.table(CaseRollupState), states)
