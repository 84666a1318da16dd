"""The engine: runs one row of the table (`execute`) and tells what a user may do now (`allowed_actions`).

`execute` checks, in order: the version the user saw (optimistic concurrency), the state, the role and
organisation of the actor, the required inputs, the event date and the row's guards; then the action's
effect fills in what changes, and one transaction does a conditional ``UPDATE … WHERE id=? AND
version=?`` (zero rows → ConflictError), the timeline event, the effect's records, the document, the
audit row and the action's hooks. Any refusal raises a ServiceError with a Chinese message and changes
nothing. This module and `rulings.py` are the only writers of `Case.status` and of the case's clocks.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Subquery
from django.utils import timezone

from xinfang.audit.services import record
from xinfang.core import clock
from xinfang.core.errors import ConflictError, ErrorCode, ServiceError, ValidationFailed
from xinfang.documents.case_documents import DocumentIncomplete, prepare_case_document
from xinfang.orgs.models import User

from ..models import Case, CaseEvent
from . import deadlines, hooks
from .actors import check_actor, recused_user_ids
from .context import Ctx, invalid
from .effects import EFFECTS
from .records import CaseDocument, Recusal
from .table import ACTIONS, Action, actions_from

# The field that carries the date an action happened on, in order of preference.
EVENT_DATE_FIELDS = ("served_on", "received_on", "on", "start")


def allowed_actions(case: Case, user: User) -> list[Action]:
    """The rows this user may take on this case today: state, role, organisation and every guard."""
    today, profile = clock.today(), deadlines.active_profile()
    result = []
    recused = recused_user_ids(case)
    for action in actions_from(case.status):
        try:
            check_actor(action, case, user, recused)
        except ServiceError:
            continue
        if guard_refusal(action, case, today, profile) is None:
            result.append(action)
    return result


def guard_refusal(
    action: Action, case: Case, on: datetime.date, profile: deadlines.Profile
) -> ServiceError | None:
    for guard in action.guards:
        message = guard.test(case, on, profile)
        if message:
            return ServiceError(message, code=guard.code, field=guard.field)
    return None


def execute(code: str, case: Case, actor: User, *, version: int, **data: Any) -> Case:
    """Run one row of the workflow table. Returns the updated case, with `last_event` (the CaseEvent
    written); raises ServiceError on refusal."""
    action = ACTIONS.get(code)
    if action is None:
        raise ServiceError("未知的办理操作", code=ErrorCode.NOT_ALLOWED)
    # One read: the case, the time of its last step (a back-dated step must not precede it) and whether the
    # actor stands recused from it.
    fresh = (
        Case.objects.select_related("responsible_unit", "registering_org", "accused_organisation")
        .annotate(
            previous_step_at=Subquery(
                CaseEvent.objects.filter(case_id=OuterRef("pk"), case_year=OuterRef("year"))
                .order_by("-at", "-id")
                .values("at")[:1]
            ),
            actor_recused=Exists(
                Recusal.objects.filter(case_id=OuterRef("pk"), user_id=getattr(actor, "pk", None))
            ),
        )
        .get(pk=case.pk, year=case.year)  # the year: PostgreSQL plans for that partition only
    )
    if fresh.version != version:
        raise ConflictError()
    if fresh.status not in action.from_states:
        raise ServiceError(
            f"当前状态为“{fresh.get_status_display()}”，不能执行“{action.label}”", code=ErrorCode.NOT_ALLOWED
        )
    check_actor(action, fresh, actor, recused=frozenset({actor.pk} if fresh.actor_recused else ()))
    check_inputs(action, data)
    ctx = new_context(fresh, actor, action, data)
    last_at = fresh.previous_step_at
    ctx.on = _event_date(action, data, last_at)
    ctx.at = _event_moment(ctx.on, ctx.at, last_at)
    refusal = guard_refusal(action, fresh, ctx.on, ctx.profile)
    if refusal is not None:
        raise refusal
    EFFECTS[code](ctx)
    return _commit(ctx, fresh, version)


def new_context(case: Case, actor: User, action: Action, data: dict[str, Any]) -> Ctx:
    now = clock.now()
    ctx = Ctx(case, actor, action, data, clock.today(), now, deadlines.active_profile())
    ctx.note = (data.get("note") or "").strip()
    ctx.document = action.document
    return ctx


def check_inputs(action: Action, data: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    for f in action.fields:
        value = data.get(f.name)
        blank = value is None or (isinstance(value, str) and not value.strip())
        if f.required and f.kind != "bool" and blank:
            errors[f.name] = [f"请填写“{f.label}”"]
        elif f.kind == "choice" and value and value not in dict(f.choices):
            errors[f.name] = [f"“{f.label}”的取值无效"]
    if errors:
        raise ValidationFailed(errors)


def event_date_field(action: Action) -> str:
    names = {f.name for f in action.fields}
    return next((c for c in EVENT_DATE_FIELDS if c in names), "on")


def _event_date(action: Action, data: dict[str, Any], previous: datetime.datetime | None) -> datetime.date:
    name = event_date_field(action)
    label = next((f.label for f in action.fields if f.name == name), name)
    today = clock.today()
    on = data.get(name) or today
    if isinstance(on, datetime.datetime):
        on = timezone.localdate(on)
    if on > today:
        raise invalid(name, f"“{label}”不得晚于今天（{today:%Y-%m-%d}）")
    if previous and on < timezone.localdate(previous):
        raise invalid(name, f"“{label}”不得早于上一环节的日期（{timezone.localdate(previous):%Y-%m-%d}）")
    return on


def _event_moment(
    on: datetime.date, now: datetime.datetime, last_at: datetime.datetime | None
) -> datetime.datetime:
    """A back-dated step happens at today's time of day on its date, and still sorts after the last step."""
    if on == timezone.localdate(now):
        return now
    at = timezone.make_aware(datetime.datetime.combine(on, timezone.localtime(now).time()))
    if last_at and at <= last_at:
        at = last_at + datetime.timedelta(microseconds=1)
    return at


def _commit(ctx: Ctx, case: Case, version: int) -> Case:
    action, actor = ctx.action, ctx.actor
    from_status = case.status
    to_status = action.to_state or from_status
    before = snapshot(case)
    with transaction.atomic():
        updated = Case.objects.filter(pk=case.pk, year=case.year, version=version).update(
            status=to_status, version=F("version") + 1, **ctx.changes
        )
        if updated == 0:
            raise ConflictError()
        # The row now holds exactly these values (no expressions), so the copy in hand is brought up to date
        # without reading it back.
        for name, value in ctx.changes.items():
            setattr(case, name, value)
        case.status, case.version = to_status, version + 1
        doc = _render_document(ctx, case) if ctx.document else None
        note = ctx.note + (f"（文书：{doc.title}）" if doc else "")
        event = CaseEvent.objects.create(
            case=case, at=ctx.at, actor=actor, action=action.code, label=action.label,
            from_status=from_status, to_status=to_status, unit=ctx.unit, note=note.strip(),
            data={"on": ctx.on.isoformat(), "article": action.article, **ctx.event_data},
        )  # fmt: skip
        save_records(ctx.records, case, event)
        for update in ctx.updates:
            update()
        if doc is not None:
            doc.event = event
            doc.save()
        record(f"case.{action.code}", actor=actor, obj=case, before=before, after=snapshot(case))
        hooks.run(
            action=action.code, case=case, actor=actor,
            from_status=from_status, to_status=to_status, event=event,
        )  # fmt: skip
    case.last_event = event  # for callers that report the step they just took (the JSON API)
    return case


def save_records(records: list, case: Case, event: CaseEvent) -> None:
    """Tie the effect's unsaved rows to the case (and to the event where they have one) and insert them."""
    for row in records:
        row.case = case
        if hasattr(row, "event_id") and row.event_id is None:
            row.event = event
        row.save()


def snapshot(case: Case) -> dict[str, Any]:
    return {
        "status": case.status,
        "version": case.version,
        "responsible_unit": case.responsible_unit_id,
        "current_step": case.current_step,
        "due_date": case.due_date,
        "handling_due_date": case.handling_due_date,
        "extension_count": case.extension_count,
    }


def _render_document(ctx: Ctx, case: Case) -> CaseDocument:
    """The stage document, filled from the case as it is after this transition (saved with the event)."""
    return render_document(
        ctx.document, case, actor=ctx.actor, profile=ctx.profile, on=ctx.on, unit=ctx.unit, **ctx.doc_extra
    )


def render_document(
    doc_type: str, case: Case, *, actor: User | None, profile: deadlines.Profile, **extra: Any
) -> CaseDocument:
    """An unsaved CaseDocument of `doc_type` for `case`, issued by the actor's organisation: its values read from
    the case now (an incomplete document refuses the action), its .docx laid out on first download."""
    issuer = actor.organisation if actor is not None else case.registering_org
    try:
        prepared = prepare_case_document(doc_type, case, profile=profile, issuer=issuer, **extra)
    except DocumentIncomplete as exc:
        raise ServiceError(str(exc), code=ErrorCode.INVALID) from exc
    return CaseDocument(
        case=case, doc_type=doc_type, title=prepared.title, filename=prepared.filename,
        values=prepared.values, created_by=actor,
    )  # fmt: skip
