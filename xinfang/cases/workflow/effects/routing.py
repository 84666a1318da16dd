"""Effects of the triage and routing stage: 转送, 交办, 告知, 不予受理, 异议, 合并, 撤回 (art.19, 22, 23)."""

from __future__ import annotations

from xinfang.cases.permissions import is_accused_org, visible_cases
from xinfang.core.errors import ErrorCode, ServiceError
from xinfang.orgs.models import Organisation, OrgKind

from ...choices import Status
from ...models import Case, CaseRouting
from .. import deadlines
from ..actors import ACCUSED_MESSAGE
from ..codes import ART31_ROUTES, NOT_ACCEPTED_GROUNDS, ActionCode
from ..context import Ctx, clock_fields, invalid, stopped_clock
from ..schema import RECEIVED_FROM, TRIAGE_FROM


def route_to(ctx: Ctx, unit: Organisation, kind: str) -> None:
    ctx.records.append(CaseRouting(unit=unit, kind=kind, routed_at=ctx.at))


def _triage_target(ctx: Ctx) -> Organisation:
    unit = ctx.data["unit"]
    if not isinstance(unit, Organisation) or not unit.is_active:
        raise invalid("unit", "请选择有效的承办单位")
    if unit.kind == OrgKind.BUREAU and unit.pk == ctx.actor.organisation_id:
        raise invalid("unit", "承办单位不能是本信访部门")
    if is_accused_org(ctx.case, unit):
        raise ServiceError(ACCUSED_MESSAGE, code=ErrorCode.ACCUSED_UNIT, field="unit")
    return unit


def forward(ctx: Ctx) -> None:
    """转送 and 交办: the unit receives the case today and its written-notice clock starts."""
    unit = _triage_target(ctx)
    ctx.changes.update(
        responsible_unit=unit,
        received_by_unit_at=ctx.at,
        **clock_fields("acceptance", deadlines.due("acceptance", ctx.on, ctx.profile)),
    )
    if ctx.case.triaged_at is None:
        ctx.changes["triaged_at"] = ctx.at
    ctx.unit = unit
    route_to(ctx, unit, ctx.action.code)
    if ctx.action.code == ActionCode.ASSIGN:
        result_due = ctx.data["result_due"]
        if result_due <= ctx.on:
            raise invalid("result_due", "“办结期限”须晚于交办日期")
        cap = deadlines.assignment_cap(ctx.on, ctx.profile).date
        if result_due > cap:
            raise invalid(
                "result_due",
                f"“办结期限”不得晚于{cap:%Y-%m-%d}（受理告知期限加办理和延期的法定最长期限，第二十三条、第三十四条）",
            )
        ctx.event_data["result_due"] = result_due.isoformat()


def inform(ctx: Ctx) -> None:
    route = ctx.data["route"]
    ctx.changes.update(handling_route=route, **stopped_clock())
    if ctx.case.status in TRIAGE_FROM and ctx.case.triaged_at is None:
        ctx.changes["triaged_at"] = ctx.at
    ctx.event_data["route"] = route
    ctx.doc_extra["route_text"] = ART31_ROUTES[route].split("（")[0]
    ctx.note = f"{ART31_ROUTES[route]}。{ctx.note}".rstrip("。") + "。"


def not_accept(ctx: Ctx) -> None:
    ground = ctx.data["ground"]
    if ground == "not_remit" and ctx.case.status in RECEIVED_FROM:
        raise ServiceError(
            "转送、交办的事项，认为不属于本机关职权范围的，应当自收到之日起5个工作日内向转送、交办机关提出异议，"
            "不能自行不予受理（《信访工作条例》第二十三条第三款）",
            code=ErrorCode.NOT_ALLOWED,
            field="ground",
        )
    ctx.changes.update(**stopped_clock())
    if ctx.case.status == Status.REGISTERED and ctx.case.triaged_at is None:
        ctx.changes["triaged_at"] = ctx.at
    ctx.event_data["ground"] = ground
    ctx.doc_extra["ground"] = NOT_ACCEPTED_GROUNDS[ground]
    ctx.note = f"{NOT_ACCEPTED_GROUNDS[ground]}。{ctx.note}".rstrip("。") + "。"


def object_(ctx: Ctx) -> None:
    """The unit objects (guard: within 5 working days); it stays responsible until the bureau decides."""
    ctx.note = ctx.data["reason"]
    ctx.unit = ctx.case.responsible_unit
    ctx.changes.update(**clock_fields("triage", deadlines.due("triage", ctx.on, ctx.profile)))


def reject_objection(ctx: Ctx) -> None:
    ctx.unit = ctx.case.responsible_unit
    ctx.note = ctx.data["reason"]
    ctx.changes.update(**clock_fields("acceptance", deadlines.due("acceptance", ctx.on, ctx.profile)))


def merge(ctx: Ctx) -> None:
    target = ctx.data["target"]
    # Looked up among the cases the actor may see: a hidden case answers exactly like a missing one.
    number = target.number if isinstance(target, Case) else str(target).strip()
    target = visible_cases(ctx.actor).filter(number=number).first()
    if target is None or target.pk == ctx.case.pk:
        raise invalid("target", "请填写另一件已登记、您有权查看的信访件编号")
    if target.registered_at > ctx.case.registered_at:
        raise invalid("target", "只能并入更早登记的信访件")
    ctx.changes.update(related_case=target, **stopped_clock())
    ctx.event_data["target"] = target.number


def withdraw(ctx: Ctx) -> None:
    ctx.note = ctx.data["reason"]
    ctx.changes.update(**stopped_clock())
