"""Benchmark volumes through the same rules: the table, the guards and the effects, applied in memory.

`seed_demo --cases 1000000` cannot afford a transaction, a document and an audit row per step. This
path takes unsaved cases (registration fields filled in) with the steps each one went through, runs
every step's state, actor, input and guard checks and its effect exactly as `engine.execute` does,
applies the changes to the case in memory, and inserts cases, events and records through `core.bulk_write`
(COPY on PostgreSQL, `bulk_create` elsewhere).
What it leaves out, deliberately: stage documents (rendered per action by the engine), hooks (run
`rebuild_rollups` afterwards) and steps whose effect must update another row (a hearing during 复核),
or that need the case's stored history (the review body's own actions, 交办 results): those raise.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from xinfang.core import bulk_write, clock
from xinfang.core.errors import ServiceError
from xinfang.orgs.models import User

from ..choices import Status
from ..models import Case, CaseEvent
from . import deadlines, rulings
from .actors import check_actor
from .codes import ActionCode
from .context import Ctx
from .effects import EFFECTS
from .engine import check_inputs, guard_refusal
from .table import ACTIONS


@dataclass
class Step:
    code: str
    actor: User
    at: datetime.datetime
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Planned:
    case: Case  # unsaved; registered_at, registered_by, registering_org and received_date set
    steps: list[Step] = field(default_factory=list)


def apply_steps(case: Case, steps: list[Step], profile: deadlines.Profile) -> tuple[list, list]:
    """Open the case and run its steps in memory; returns the events and records to insert."""
    for name, value in rulings.opening_fields(case.received_date, profile).items():
        setattr(case, name, value)
    events = [
        CaseEvent(
            case=case,
            case_year=case.year,
            at=case.registered_at,
            actor=case.registered_by,
            action=ActionCode.REGISTER,
            label="登记",
            to_status=Status.REGISTERED,
            data={"channel": case.channel, "bulk": True},
        )  # fmt: skip
    ]
    records: list = []
    last_at, now = case.registered_at, clock.now()
    for step in steps:
        if not last_at < step.at <= now:
            raise ServiceError(f"{case.number}：“{step.code}”的时间须晚于上一环节且不晚于现在")
        events.append(_apply(case, step, profile, records))
        last_at = step.at
    return events, records


def _apply(case: Case, step: Step, profile: deadlines.Profile, records: list) -> CaseEvent:
    action = ACTIONS[step.code]
    if case.status not in action.from_states:
        raise ServiceError(
            f"{case.number}：当前状态为“{case.get_status_display()}”，不能执行“{action.label}”"
        )
    check_actor(action, case, step.actor)
    check_inputs(action, step.data)
    on = timezone.localdate(step.at)
    ctx = Ctx(case, step.actor, action, step.data, on, step.at, profile)
    ctx.note = (step.data.get("note") or "").strip()
    refusal = guard_refusal(action, case, on, profile)
    if refusal is not None:
        raise refusal
    EFFECTS[step.code](ctx)
    if ctx.updates:
        raise ServiceError(f"批量生成不支持“{action.label}”（需更新其他记录）")
    from_status = case.status
    for name, value in ctx.changes.items():
        setattr(case, name, value)
    case.status = action.to_state or from_status
    case.version += 1
    event = CaseEvent(
        case=case, case_year=case.year, at=step.at, actor=step.actor, action=action.code, label=action.label,
        from_status=from_status, to_status=case.status, unit=ctx.unit, note=ctx.note,
        data={"on": on.isoformat(), "article": action.article, **ctx.event_data},
    )  # fmt: skip
    for row in ctx.records:
        row.case = case
        if hasattr(row, "event_id"):
            row.event = event
    records.extend(ctx.records)
    return event


def bulk_create_cases(planned: list[Planned]) -> list[Case]:
    """Insert the planned cases with their events and records in one transaction (all or nothing). Cases and
    events get their ids from their sequences first (records point at both); records take the default."""
    profile = deadlines.active_profile()
    events: list[CaseEvent] = []
    records: dict[type, list] = defaultdict(list)
    for item in planned:
        case_events, case_records = apply_steps(item.case, item.steps, profile)
        events.extend(case_events)
        for row in case_records:
            records[type(row)].append(row)
    cases = [item.case for item in planned]
    with transaction.atomic():
        for objs, model in ((cases, Case), (events, CaseEvent)):
            for obj, pk in zip(objs, bulk_write.take_ids(model, len(objs)), strict=True):
                obj.pk = pk
            tbl = bulk_write.table(model)
            bulk_write.insert(tbl, (tbl.from_object(obj) for obj in objs))
        for model, rows in records.items():
            tbl = bulk_write.table(model, with_id=False)
            bulk_write.insert(tbl, (tbl.from_object(obj) for obj in rows))
    return cases
