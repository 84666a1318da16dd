"""Workflow services: one function per action of the table in workflow.py, all run by `execute`.

`execute` checks, in order: the version the user saw (optimistic concurrency), the state, the role and
organisation of the actor, the accused-unit rule, the inputs and the event date; then the action's effect
computes the case fields to change and the records to write, and one transaction does a conditional
``UPDATE … WHERE id=? AND version=?`` (zero rows → ConflictError), the timeline event, the records, the
document, the audit row and the `case_transitioned` signal. Any refusal raises a ServiceError with a
Chinese message and changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from xinfang.audit.services import record
from xinfang.core import clock
from xinfang.core.errors import ConflictError, ErrorCode, ServiceError, ValidationFailed
from xinfang.orgs.models import Organisation, OrgKind, User
from xinfang.orgs.permissions import is_accused_org

from . import deadlines
from . import workflow as wf
from .choices import Status
from .models import Case, CaseEvent, CaseRouting
from .models_workflow import CaseDocument, CaseOpinion, Extension, Hearing, ReviewRequest
from .signals import case_transitioned

ACCUSED_MESSAGE = "检举控告件不得转送、交办或告知被反映单位及其上级单位（《信访工作条例》第三十条第三款）"


@dataclass
class Ctx:
    case: Case
    actor: User
    action: wf.Action
    data: dict[str, Any]
    on: datetime.date
    at: datetime.datetime
    profile: deadlines.Profile
    changes: dict[str, Any] = field(default_factory=dict)
    unit: Organisation | None = None
    note: str = ""
    event_data: dict[str, Any] = field(default_factory=dict)
    writes: list = field(default_factory=list)  # callables(case, event) run inside the transaction
    document: str | None = None
    doc_extra: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------- helpers


def _label(name: str, action: wf.Action) -> str:
    for f in action.fields:
        if f.name == name:
            return f.label
    return name


def _invalid(field_name: str, message: str) -> ValidationFailed:
    return ValidationFailed({field_name: [message]})


def _localdate(value: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(value) if value else None


def _clock(step: str, due: deadlines.Due | None) -> dict[str, Any]:
    if due is None:
        return {"current_step": step, "due_date": None, "deadline_provisional": False}
    return {"current_step": step, "due_date": due.date, "deadline_provisional": due.provisional}


def _stop_clock() -> dict[str, Any]:
    return _clock("", None)


def _check_actor(ctx: Ctx) -> None:
    case, actor, action = ctx.case, ctx.actor, ctx.action
    if actor.role not in action.roles:
        raise ServiceError(
            f"您的角色（{actor.get_role_display()}）不能执行“{action.label}”", code=ErrorCode.FORBIDDEN
        )
    kind = wf.actor_kind(action, case)
    org = actor.organisation
    if kind == wf.BUREAU and not actor.is_bureau_role:
        raise ServiceError(f"“{action.label}”由信访部门办理", code=ErrorCode.FORBIDDEN)
    if kind == wf.UNIT and (org is None or org.pk != case.responsible_unit_id):
        raise ServiceError(f"只有责任单位的人员可以执行“{action.label}”", code=ErrorCode.FORBIDDEN)
    if kind == wf.REVIEW_BODY:
        req = current_review_request(case)
        if req is None or org is None or org.pk != req.body_id:
            raise ServiceError(
                f"只有受理复查（复核）请求的机关可以执行“{action.label}”", code=ErrorCode.FORBIDDEN
            )
    if is_accused_org(case, org):
        raise ServiceError(ACCUSED_MESSAGE, code=ErrorCode.ACCUSED_UNIT)


def _check_inputs(action: wf.Action, data: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    for f in action.fields:
        value = data.get(f.name)
        if (
            f.required
            and f.kind != "bool"
            and (value is None or (isinstance(value, str) and not value.strip()))
        ):
            errors[f.name] = [f"请填写“{f.label}”"]
        elif f.kind == "choice" and value and value not in dict(f.choices):
            errors[f.name] = [f"“{f.label}”的取值无效"]
    if errors:
        raise ValidationFailed(errors)


def _last_event_at(case: Case) -> datetime.datetime | None:
    return CaseEvent.objects.filter(case=case).order_by("-at", "-id").values_list("at", flat=True).first()


def _last_event_date(case: Case) -> datetime.date | None:
    return _localdate(_last_event_at(case))


def _event_date(ctx_case: Case, action: wf.Action, data: dict[str, Any], field_name: str) -> datetime.date:
    today = clock.today()
    on = data.get(field_name) or today
    label = _label(field_name, action)
    if isinstance(on, datetime.datetime):
        on = timezone.localdate(on)
    if on > today:
        raise _invalid(field_name, f"“{label}”不得晚于今天（{today:%Y-%m-%d}）")
    previous = _last_event_date(ctx_case)
    if previous and on < previous:
        raise _invalid(field_name, f"“{label}”不得早于上一环节的日期（{previous:%Y-%m-%d}）")
    return on


def _event_field(action: wf.Action) -> str:
    names = [f.name for f in action.fields]
    for candidate in ("served_on", "received_on", "on", "start"):
        if candidate in names:
            return candidate
    return "on"


def _route(ctx: Ctx, unit: Organisation, kind: str) -> None:
    def write(case: Case, event: CaseEvent) -> None:
        CaseRouting.objects.create(case=case, unit=unit, kind=kind, routed_at=event.at)

    ctx.writes.append(write)


def current_review_request(case: Case) -> ReviewRequest | None:
    return case.review_requests.order_by("-id").first() if case.pk else None


def latest_opinion(case: Case, kind: str) -> CaseOpinion | None:
    return case.opinions.filter(kind=kind).order_by("-id").first()


def _was_assigned(case: Case) -> dict | None:
    """The data of the 交办 event when the case's latest routing was an assignment (not a forward)."""
    ev = case.events.filter(action__in=("forward", "assign")).order_by("-at", "-id").first()
    return ev.data if ev is not None and ev.action == "assign" else None


# ---------------------------------------------------------------- effects (one per action)


def _triage_target(ctx: Ctx) -> Organisation:
    unit = ctx.data["unit"]
    if not isinstance(unit, Organisation) or not unit.is_active:
        raise _invalid("unit", "请选择有效的承办单位")
    if unit.kind == OrgKind.BUREAU and unit.pk == ctx.actor.organisation_id:
        raise _invalid("unit", "承办单位不能是本信访部门")
    if is_accused_org(ctx.case, unit):
        raise ServiceError(ACCUSED_MESSAGE, code=ErrorCode.ACCUSED_UNIT, field="unit")
    return unit


def _forward(ctx: Ctx) -> None:
    unit = _triage_target(ctx)
    case = ctx.case
    ctx.changes.update(
        responsible_unit=unit,
        received_by_unit_at=ctx.at,
        **_clock("acceptance", deadlines.due("acceptance", ctx.on, ctx.profile)),
    )
    if case.triaged_at is None:
        ctx.changes["triaged_at"] = ctx.at
    ctx.unit = unit
    _route(ctx, unit, ctx.action.code)
    if ctx.action.code == "assign":
        result_due = ctx.data["result_due"]
        if result_due <= ctx.on:
            raise _invalid("result_due", "“办结期限”须晚于交办日期")
        ctx.event_data["result_due"] = result_due.isoformat()


def _inform(ctx: Ctx) -> None:
    route = ctx.data["route"]
    ctx.changes.update(handling_route=route, **_stop_clock())
    if ctx.case.status in wf.TRIAGE_FROM and ctx.case.triaged_at is None:
        ctx.changes["triaged_at"] = ctx.at
    ctx.event_data["route"] = route
    ctx.note = f"{wf.ART31_ROUTES[route]}。{ctx.note}".rstrip("。") + "。"


def _accept(ctx: Ctx) -> None:
    case = ctx.case
    if case.status == Status.REGISTERED and case.registering_org.kind == OrgKind.BUREAU:
        raise ServiceError("信访部门登记的事项须先转送或交办，承办单位方可受理", code=ErrorCode.NOT_ALLOWED)
    assigned = _was_assigned(case) if case.status == Status.ASSIGNED else None
    if assigned and assigned.get("result_due"):
        handling = deadlines.Due(datetime.date.fromisoformat(assigned["result_due"]), False)
    else:
        handling = deadlines.due("handling", ctx.on, ctx.profile)
    ctx.changes.update(
        accepted_at=ctx.at,
        handling_route=wf.ROUTE_HANDLING,
        handling_due_date=handling.date,
        **_clock("handling", handling),
    )
    if ctx.data.get("notice_exempt"):
        # Art.23 ¶2: no written notice when the petitioner's name or address is unclear — recorded.
        if not ctx.note:
            raise _invalid("note", "免于书面告知的，请在“说明”中写明信访人姓名或住址不清的情况")
        ctx.event_data["notice_exempt"] = True
        ctx.document = None
    if case.current_step == "acceptance" and case.due_date:
        ctx.event_data["notice_due"] = case.due_date.isoformat()
        ctx.event_data["notice_on_time"] = ctx.on <= case.due_date


def _not_accept(ctx: Ctx) -> None:
    ground = ctx.data["ground"]
    ctx.changes.update(**_stop_clock())
    if ctx.case.status == Status.REGISTERED and ctx.case.triaged_at is None:
        ctx.changes["triaged_at"] = ctx.at
    ctx.event_data["ground"] = ground
    ctx.doc_extra["ground"] = wf.NOT_ACCEPTED_GROUNDS[ground]
    ctx.note = f"{wf.NOT_ACCEPTED_GROUNDS[ground]}。{ctx.note}".rstrip("。") + "。"


def _object(ctx: Ctx) -> None:
    case = ctx.case
    received = _localdate(case.received_by_unit_at) or case.received_date
    limit = deadlines.due("objection", received, ctx.profile)
    if ctx.on > limit.date:
        r = ctx.profile.rule("objection")
        raise ServiceError(
            f"异议期限已过：应自收到之日（{received:%Y-%m-%d}）起{r.n}个工作日内，即{limit.date:%Y-%m-%d}前提出",
            code=ErrorCode.DEADLINE_PASSED,
            field="on",
        )
    ctx.note = ctx.data["reason"]
    ctx.unit = case.responsible_unit
    # The unit stays responsible until the bureau agrees (re-triage) or disagrees (reject_objection).
    ctx.changes.update(**_clock("triage", deadlines.due("triage", ctx.on, ctx.profile)))


def _reject_objection(ctx: Ctx) -> None:
    unit = ctx.case.responsible_unit
    if unit is None:
        raise ServiceError("没有可退回的原承办单位，请重新转送或交办", code=ErrorCode.NOT_ALLOWED)
    ctx.unit = unit
    ctx.note = ctx.data["reason"]
    ctx.changes.update(**_clock("acceptance", deadlines.due("acceptance", ctx.on, ctx.profile)))


def _start_handling(ctx: Ctx) -> None:
    pass


def _extend(ctx: Ctx) -> None:
    case, profile = ctx.case, ctx.profile
    if case.extension_count >= profile.max_extensions:
        raise ServiceError(
            f"本件已延期{case.extension_count}次，办理期限只能延长一次（第三十四条）",
            code=ErrorCode.NOT_ALLOWED,
            field="days",
        )
    days = ctx.data["days"]
    cap_days = profile.rule("extension").n
    if not isinstance(days, int) or days <= 0:
        raise _invalid("days", "“延长天数”须为正整数")
    if days > cap_days:
        raise _invalid("days", f"“延长天数”不得超过{cap_days}日（第三十四条）")
    accepted = _localdate(case.accepted_at)
    cap = deadlines.handling_cap(accepted, profile)
    if _was_assigned(case):
        new = deadlines.due(
            "handling", case.handling_due_date, profile, extra_days=days - profile.rule("handling").n
        )
    else:
        new = deadlines.due("handling", accepted, profile, extra_days=days)
    if new.date > cap.date:
        raise _invalid(
            "days", f"延期后的期限（{new.date:%Y-%m-%d}）超过受理之日起的最长期限（{cap.date:%Y-%m-%d}）"
        )
    old_due = case.handling_due_date
    ctx.note = ctx.data["reason"]
    ctx.changes.update(
        extension_count=F("extension_count") + 1, handling_due_date=new.date, **_clock("handling", new)
    )
    ctx.event_data.update(days=days, old_due=old_due.isoformat(), new_due=new.date.isoformat())
    ctx.doc_extra.update(days=days, old_due=old_due, new_due=new.date, reason=ctx.note)

    def write(case: Case, event: CaseEvent) -> None:
        Extension.objects.create(
            case=case, days=days, reason=ctx.note, old_due=old_due, new_due=new.date,
            approved_by=ctx.actor, approved_on=ctx.on,
        )  # fmt: skip

    ctx.writes.append(write)


def _hearing(ctx: Ctx) -> None:
    start, end = ctx.data["start"], ctx.data["end"]
    if end < start:
        raise _invalid("end", "“听证结束日期”不得早于开始日期")
    days = (end - start).days + 1
    req = current_review_request(ctx.case) if ctx.case.status == Status.REREVIEW_REQUESTED else None
    if req is not None:
        # Art.36 ¶2: the time a hearing takes does not count toward the 复核 deadline.
        total = req.hearing_days + days
        new = deadlines.due(req.level, req.received_on, ctx.profile, extra_days=total)
        ctx.changes.update(**_clock(req.level, new))
        ctx.event_data["new_due"] = new.date.isoformat()
    ctx.event_data.update(start=start.isoformat(), end=end.isoformat(), days=days)
    org = ctx.actor.organisation

    def write(case: Case, event: CaseEvent) -> None:
        Hearing.objects.create(
            case=case, review_request=req, start=start, end=end, days=days, note=ctx.note, held_by=org
        )
        if req is not None:
            ReviewRequest.objects.filter(pk=req.pk).update(
                hearing_days=F("hearing_days") + days, due_date=ctx.changes["due_date"]
            )

    ctx.writes.append(write)


def _opinion(ctx: Ctx, kind: str, next_step: str | None) -> None:
    data, profile = ctx.data, ctx.profile
    route = (data.get("review_route") or "").strip()
    if not route and profile.reply_requires_review_route and kind != "rereview":
        raise _invalid("review_route", f"{profile.name}要求意见书载明复查（复核）的途径和期限，请填写")
    served = ctx.on
    window_end = deadlines.due(next_step, served, profile).date if next_step else None
    if not route and next_step:
        body = wf.review_body_for(ctx.actor.organisation)
        n = profile.rule(next_step).n
        word = "复查" if next_step == "review_request" else "复核"
        route = f"如不服本意见，可自收到本意见书之日起{n}日内（{window_end:%Y年%m月%d日}前）向{body or '上一级机关'}书面申请{word}。"
    report = (data.get("result_report") or "").strip()
    if kind == "reply" and _was_assigned(ctx.case) and not report:
        raise _invalid("result_report", "交办件须填写“办结报告”（第二十二条第三项）")
    fields = {
        k: (data.get(k) or "").strip() for k in ("request_text", "facts", "decision_text", "legal_basis")
    }
    ctx.doc_extra.update(
        fields, decision=wf.DECISIONS[data["decision"]], review_route=route, served_on=served
    )
    ctx.event_data.update(
        decision=data["decision"], window_end=window_end.isoformat() if window_end else None
    )
    issuer, actor = ctx.actor.organisation, ctx.actor

    def write(case: Case, event: CaseEvent) -> None:
        CaseOpinion.objects.create(
            case=case, kind=kind, issuer=issuer, decision=data["decision"], review_route=route,
            result_report=report, served_on=served, next_window_end=window_end, issued_by=actor, **fields,
        )  # fmt: skip

    ctx.writes.append(write)


def _reply(ctx: Ctx) -> None:
    if ctx.case.handling_route and ctx.case.handling_route != wf.ROUTE_HANDLING:
        raise ServiceError(
            "依第三十一条第一至五项导入其他程序的事项不出具处理意见书", code=ErrorCode.NOT_ALLOWED
        )
    _opinion(ctx, "reply", "review_request")
    ctx.changes.update(replied_at=ctx.at, **_stop_clock())


def _request(ctx: Ctx, level: str, previous: CaseOpinion | None, handler: Organisation | None) -> None:
    word = "复查" if level == "review" else "复核"
    if previous is None:
        raise ServiceError(f"没有可申请{word}的意见书", code=ErrorCode.NOT_ALLOWED)
    body = ctx.data["body"]
    expected = wf.review_body_for(handler)
    if expected is None or body is None or body.pk != expected.pk:
        raise _invalid(
            "body", f"{word}应向原办理机关的上一级机关（{expected or '无'}）提出，不能向“{body}”提出"
        )
    received = ctx.on
    if received < previous.served_on:
        raise _invalid(
            "received_on", f"“收到请求日期”不得早于意见书送达日期（{previous.served_on:%Y-%m-%d}）"
        )
    if received > previous.next_window_end:
        n = ctx.profile.rule(f"{level}_request").n
        raise ServiceError(
            f"{word}申请已超过期限：应自收到意见书之日（{previous.served_on:%Y-%m-%d}）起{n}日内，"
            f"即{previous.next_window_end:%Y-%m-%d}前提出",
            code=ErrorCode.DEADLINE_PASSED,
            field="received_on",
        )
    if is_accused_org(ctx.case, body):
        raise ServiceError(ACCUSED_MESSAGE, code=ErrorCode.ACCUSED_UNIT, field="body")
    due = deadlines.due(level, received, ctx.profile)
    ctx.changes.update(**_clock(level, due))
    ctx.unit = body
    ctx.note = ctx.data["reason"]
    ctx.event_data.update(body=body.pk, due=due.date.isoformat())
    _route(ctx, body, level)
    actor, window_end = ctx.actor, previous.next_window_end

    def write(case: Case, event: CaseEvent) -> None:
        ReviewRequest.objects.create(
            case=case, level=level, body=body, received_on=received, window_end=window_end,
            due_date=due.date, reason=ctx.note, entered_by=actor,
        )  # fmt: skip

    ctx.writes.append(write)


def _request_review(ctx: Ctx) -> None:
    if ctx.case.handling_route != wf.ROUTE_HANDLING:
        raise ServiceError(
            "只有依第三十一条第六项办理并出具处理意见书的事项可以申请复查", code=ErrorCode.NOT_ALLOWED
        )
    _request(ctx, "review", latest_opinion(ctx.case, "reply"), ctx.case.responsible_unit)


def _request_rereview(ctx: Ctx) -> None:
    req = current_review_request(ctx.case)
    _request(ctx, "rereview", latest_opinion(ctx.case, "review"), req.body if req else None)


def _review_opinion(ctx: Ctx) -> None:
    _opinion(ctx, "review", "rereview_request")
    ctx.changes.update(**_stop_clock())


def _rereview_opinion(ctx: Ctx) -> None:
    _opinion(ctx, "rereview", None)
    ctx.changes.update(**_stop_clock())


def _conclude(ctx: Ctx) -> None:
    case = ctx.case
    if case.status != Status.REREVIEWED:
        kind = "review" if case.status == Status.REVIEWED else "reply"
        op = latest_opinion(case, kind)
        if op and op.next_window_end and ctx.on <= op.next_window_end:
            raise ServiceError(
                f"信访人申请复查（复核）的期限至{op.next_window_end:%Y-%m-%d}，期限届满前不能终结",
                code=ErrorCode.NOT_ALLOWED,
            )
    ctx.changes.update(concluded_at=ctx.at, **_stop_clock())


def _merge(ctx: Ctx) -> None:
    target = ctx.data["target"]
    if isinstance(target, str):
        target = Case.objects.filter(number=target.strip()).first()
    if target is None or target.pk == ctx.case.pk:
        raise _invalid("target", "请填写另一件已登记信访件的编号")
    if target.registered_at > ctx.case.registered_at:
        raise _invalid("target", "只能并入更早登记的信访件")
    ctx.changes.update(related_case=target, **_stop_clock())
    ctx.event_data["target"] = target.number


def _withdraw(ctx: Ctx) -> None:
    ctx.note = ctx.data["reason"]
    ctx.changes.update(**_stop_clock())


EFFECTS = {
    "forward": _forward,
    "assign": _forward,
    "inform": _inform,
    "accept": _accept,
    "not_accept": _not_accept,
    "object": _object,
    "reject_objection": _reject_objection,
    "start_handling": _start_handling,
    "extend": _extend,
    "hearing": _hearing,
    "reply": _reply,
    "request_review": _request_review,
    "review_opinion": _review_opinion,
    "request_rereview": _request_rereview,
    "rereview_opinion": _rereview_opinion,
    "conclude": _conclude,
    "merge": _merge,
    "withdraw": _withdraw,
}


# ---------------------------------------------------------------- the executor


def allowed_actions(case: Case, user: User) -> list[wf.Action]:
    """The rows of the table this user may take on this case now (state, role, organisation)."""
    result = []
    for action in wf.actions_from(case.status):
        try:
            _check_actor(_ctx_for(case, user, action, {}))
        except ServiceError:
            continue
        result.append(action)
    return result


def _ctx_for(case: Case, actor: User, action: wf.Action, data: dict[str, Any]) -> Ctx:
    now = clock.now()
    return Ctx(case, actor, action, data, timezone.localdate(now), now, deadlines.active_profile())


def execute(code: str, case: Case, actor: User, *, version: int, **data: Any) -> Case:
    """Run one row of the workflow table. Returns the updated case (with `last_event`, the CaseEvent written);
    raises ServiceError on refusal."""
    action = wf.ACTIONS.get(code)
    if action is None:
        raise ServiceError("未知的办理操作", code=ErrorCode.NOT_ALLOWED)
    fresh = Case.objects.select_related("responsible_unit", "registering_org", "accused_organisation").get(
        pk=case.pk
    )
    if fresh.version != version:
        raise ConflictError()
    if fresh.status not in action.from_states:
        raise ServiceError(
            f"当前状态为“{fresh.get_status_display()}”，不能执行“{action.label}”", code=ErrorCode.NOT_ALLOWED
        )
    ctx = _ctx_for(fresh, actor, action, data)
    _check_actor(ctx)
    _check_inputs(action, data)
    ctx.note = (data.get("note") or "").strip()
    ctx.on = _event_date(fresh, action, data, _event_field(action))
    if ctx.on != timezone.localdate(ctx.at):
        ctx.at = timezone.make_aware(datetime.datetime.combine(ctx.on, timezone.localtime(ctx.at).time()))
        last_at = _last_event_at(fresh)
        if last_at and ctx.at <= last_at:  # a back-dated step still sorts after the step before it
            ctx.at = last_at + datetime.timedelta(microseconds=1)
    ctx.document = action.document
    EFFECTS[code](ctx)
    return _commit(ctx, fresh, version)


def _commit(ctx: Ctx, case: Case, version: int) -> Case:
    action, actor = ctx.action, ctx.actor
    from_status = case.status
    to_status = action.to_state or from_status
    before = _snapshot(case)
    with transaction.atomic():
        updated = Case.objects.filter(pk=case.pk, version=version).update(
            status=to_status, version=F("version") + 1, **ctx.changes
        )
        if updated == 0:
            raise ConflictError()
        case.refresh_from_db()
        doc = _render_document(ctx, case) if ctx.document else None
        note = ctx.note + (f"（文书：{doc.title}）" if doc else "")
        event = CaseEvent.objects.create(
            case=case, at=ctx.at, actor=actor, action=action.code, label=action.label,
            from_status=from_status, to_status=to_status, unit=ctx.unit, note=note.strip(),
            data={"on": ctx.on.isoformat(), "article": action.article, **ctx.event_data},
        )  # fmt: skip
        for write in ctx.writes:
            write(case, event)
        if doc is not None:
            doc.event = event
            doc.save()
        record(f"case.{action.code}", actor=actor, obj=case, before=before, after=_snapshot(case))
        case_transitioned.send(
            sender=Case,
            case=case,
            actor=actor,
            action=action.code,
            from_status=from_status,
            to_status=to_status,
        )
    case.last_event = event  # for callers that report the step they just took (the JSON API)
    return case


def _snapshot(case: Case) -> dict[str, Any]:
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
    from xinfang.documents.case_documents import DocumentIncomplete, render_case_document

    try:
        title, filename, content, sha = render_case_document(
            ctx.document, case, issuer=ctx.actor.organisation, on=ctx.on, unit=ctx.unit, **ctx.doc_extra
        )
    except DocumentIncomplete as exc:
        raise ServiceError(str(exc), code=ErrorCode.INVALID) from exc
    return CaseDocument(
        case=case, doc_type=ctx.document, title=title, filename=filename,
        content=content, sha256=sha, created_by=ctx.actor,
    )  # fmt: skip


# ---------------------------------------------------------------- one function per action


def forward_case(case: Case, actor: User, *, version: int, unit: Organisation, **kw: Any) -> Case:
    return execute("forward", case, actor, version=version, unit=unit, **kw)


def assign_case(case: Case, actor: User, *, version: int, unit: Organisation, result_due, **kw: Any) -> Case:  # noqa: ANN001
    return execute("assign", case, actor, version=version, unit=unit, result_due=result_due, **kw)


def inform_case(case: Case, actor: User, *, version: int, route: str, **kw: Any) -> Case:
    return execute("inform", case, actor, version=version, route=route, **kw)


def accept_case(case: Case, actor: User, *, version: int, **kw: Any) -> Case:
    return execute("accept", case, actor, version=version, **kw)


def not_accept_case(case: Case, actor: User, *, version: int, ground: str, **kw: Any) -> Case:
    return execute("not_accept", case, actor, version=version, ground=ground, **kw)


def object_case(case: Case, actor: User, *, version: int, reason: str, **kw: Any) -> Case:
    return execute("object", case, actor, version=version, reason=reason, **kw)


def start_handling(case: Case, actor: User, *, version: int, **kw: Any) -> Case:
    return execute("start_handling", case, actor, version=version, **kw)


def extend_deadline(case: Case, actor: User, *, version: int, days: int, reason: str, **kw: Any) -> Case:
    return execute("extend", case, actor, version=version, days=days, reason=reason, **kw)


def hold_hearing(case: Case, actor: User, *, version: int, start, end, **kw: Any) -> Case:  # noqa: ANN001
    return execute("hearing", case, actor, version=version, start=start, end=end, **kw)


def reply_case(case: Case, actor: User, *, version: int, **opinion: Any) -> Case:
    return execute("reply", case, actor, version=version, **opinion)


def request_review(case: Case, actor: User, *, version: int, body, received_on, reason: str) -> Case:  # noqa: ANN001
    return execute(
        "request_review", case, actor, version=version, body=body, received_on=received_on, reason=reason
    )


def review_case(case: Case, actor: User, *, version: int, **opinion: Any) -> Case:
    return execute("review_opinion", case, actor, version=version, **opinion)


def request_rereview(case: Case, actor: User, *, version: int, body, received_on, reason: str) -> Case:  # noqa: ANN001
    return execute(
        "request_rereview", case, actor, version=version, body=body, received_on=received_on, reason=reason
    )


def rereview_case(case: Case, actor: User, *, version: int, **opinion: Any) -> Case:
    return execute("rereview_opinion", case, actor, version=version, **opinion)


def conclude_case(case: Case, actor: User, *, version: int, **kw: Any) -> Case:
    return execute("conclude", case, actor, version=version, **kw)


def merge_case(case: Case, actor: User, *, version: int, target, **kw: Any) -> Case:  # noqa: ANN001
    return execute("merge", case, actor, version=version, target=target, **kw)


def withdraw_case(case: Case, actor: User, *, version: int, reason: str, **kw: Any) -> Case:
    return execute("withdraw", case, actor, version=version, reason=reason, **kw)


# ---------------------------------------------------------------- rulings at registration (rules 3, 8, 9)

HANDLING_STATES = frozenset({Status.ACCEPTED, Status.HANDLING, Status.EXTENDED})


def _has_rereview(case: Case | None) -> Case | None:
    """The case (this one or an earlier one it is linked to) that already has a 复核 opinion."""
    seen = set()
    while case is not None and case.pk not in seen:
        seen.add(case.pk)
        if case.status == Status.REREVIEWED or case.opinions.filter(kind="rereview").exists():
            return case
        case = case.related_case
    return None


def registration_rulings(case: Case, actor: User | None = None) -> str | None:
    """Decide at registration what the law decides without a triage step; returns the new status or None.

    - art.36 ¶3 (rule 8): the same matter (``case.related_case``, set by the registrar or the repeat
      detector) already has a 复核 opinion → 不再受理, no clock, counted as a repeat;
    - art.19 ¶3 (rule 9): the same matter is accepted and inside its handling period at another body
      (the registering body is not the handling unit nor below it — a higher body, or a same-level one,
      which the Lhasa practice treats alike) → 不予受理, no clock;
    - art.23 ¶2 (rule 3): a petition made directly to a body other than a petition department starts that
      body's 15-day written-notice clock at once;
    """
    related = case.related_case
    ruling = note = None
    if related is not None:
        concluded = _has_rereview(related)
        handler = related.responsible_unit
        if concluded is not None:
            ruling = Status.NOT_REACCEPTED
            note = f"同一事实和理由已于{concluded.number}作出复核意见，依《信访工作条例》第三十六条第三款不再受理。"
        elif (
            related.status in HANDLING_STATES
            and related.handling_due_date
            and case.received_date <= related.handling_due_date
            and handler is not None
            and not case.registering_org.is_within(handler)
        ):
            ruling = Status.NOT_ACCEPTED
            note = (
                f"同一事项已由{handler.name}受理（{related.number}），办理期限至"
                f"{related.handling_due_date:%Y-%m-%d}，依《信访工作条例》第十九条第三款不予受理。"
            )
    if ruling is not None:
        _apply_registration_ruling(case, actor, ruling, note)
        return ruling
    # The triage clock itself is started by register_case from the active profile's row.
    if case.registering_org.kind != OrgKind.BUREAU and case.status == Status.REGISTERED:
        _start_direct_notice_clock(case)
    return None


def _apply_registration_ruling(case: Case, actor: User | None, ruling: str, note: str) -> None:
    changes = dict(
        status=ruling,
        triage_due_date=None,
        triaged_at=case.registered_at,
        is_repeat_suspect=True,
        is_first=False,
        **_stop_clock(),
    )
    before = _snapshot(case)
    with transaction.atomic():
        Case.objects.filter(pk=case.pk).update(version=F("version") + 1, **changes)
        case.refresh_from_db()
        action = "not_reaccept" if ruling == Status.NOT_REACCEPTED else "not_accept"
        label = "不再受理" if ruling == Status.NOT_REACCEPTED else "不予受理"
        CaseEvent.objects.create(
            case=case, at=clock.now(), actor=actor, action=action, label=label,
            from_status=Status.REGISTERED, to_status=ruling, note=note,
            data={"ruling": "registration", "related": case.related_case_id},
        )  # fmt: skip
        record(f"case.{action}", actor=actor, obj=case, before=before, after=_snapshot(case))


def _start_direct_notice_clock(case: Case) -> None:
    due = deadlines.due("acceptance", case.received_date)
    org = case.registering_org
    Case.objects.filter(pk=case.pk).update(
        responsible_unit=org, received_by_unit_at=case.registered_at, **_clock("acceptance", due)
    )
    CaseRouting.objects.get_or_create(
        case=case, unit=org, kind="direct", defaults={"routed_at": case.registered_at}
    )
    case.refresh_from_db()
