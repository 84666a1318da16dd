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

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from xinfang.cases.choices import Nature, Status
from xinfang.cases.models import Case
from xinfang.portal.selectors import rated_evaluations

from . import metrics
from .models import CaseRollupState, CohortKind, CohortRollup

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
    if (
        is_repeat is None
    ):  # a repeat needs an earlier related case or the 不再受理 status (metrics.repeat_condition)
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


def _bump(key: Key, increments: dict[str, int]) -> None:
    kind, day, unit, category, channel, nature, place = key
    where = dict(
        kind=kind, day=day, unit_id=unit, category_id=category, channel=channel, nature=nature, place=place
    )
    update = {name: F(name) + n for name, n in increments.items() if n}
    if not update or CohortRollup.objects.filter(**where).update(**update):
        return
    try:
        with transaction.atomic():  # savepoint: a lost race must not poison the caller's transaction
            CohortRollup.objects.create(**where, **increments)
    except IntegrityError:
        CohortRollup.objects.filter(**where).update(**update)


def _decode(stored: list) -> Shares:
    return {tuple(key): counters for key, counters in stored}


# Joins the caller's transaction without a savepoint (a failure fails the change, as it must); alone it makes its own.
@transaction.atomic(savepoint=False)
def refresh(case: Case) -> None:
    """Bring the rollups in line with `case` as saved now. Call inside the transaction that changed it."""
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
    for key, counters in diff.items():
        _bump(key, {name: n for name, n in counters.items() if n})
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
    return len(rows)
