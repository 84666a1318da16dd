"""JSON API for the workflow: the actions a user may take on a case now, taking one, and the case's history.

Same permission check (`get_case_for`: 404 for a case outside the user's scope, accusations and confidential
cases included), same parsing (`inputs`, shared with the case page) and same service
(`engine.execute`) as the htmx panel. Nothing here decides what is allowed: refusals come from the
service and are turned into Chinese error bodies by `xinfang/api/errors.py`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import BaseModel, ConfigDict

from xinfang.cases.permissions import get_case_for
from xinfang.core.error_schema import errors
from xinfang.core.errors import ErrorCode, ServiceError

from ..api import CaseDetail, case_detail
from ..choices import Status
from ..identity import mask_text
from ..models import Case, CaseEvent
from . import table as wf
from .engine import allowed_actions, execute
from .inputs import arguments_from_json, describe

router = Router(tags=["信访办理"])

STATUS_LABELS = dict(Status.choices)


class ChoiceOut(Schema):
    value: int | str = Field(..., description="提交的值（选项代码，或机构 ID）")
    label: str


class ActionFieldOut(Schema):
    name: str = Field(..., description="字段名，即提交时的 JSON 键")
    label: str = Field(..., description="中文名称")
    kind: str = Field(..., description="输入类型：text、textarea、date、int、unit、case、choice、bool")
    type: str = Field(..., description="JSON 类型：string、integer、boolean")
    format: str | None = Field(None, description="date：日期，格式 YYYY-MM-DD")
    required: bool = Field(..., description="是否必填")
    help: str = Field("", description="填写说明")
    choices: list[ChoiceOut] = Field(..., description="可选值（choice 为代码，unit 为机构 ID）")
    initial: int | str | bool | None = Field(None, description="默认值（与页面表单预填的值相同）")


class ActionOut(Schema):
    code: str = Field(..., description="操作代码，用于 POST /api/cases/{case_id}/actions/{code}")
    label: str = Field(..., description="操作名称")
    article: str = Field(..., description="依据（《信访工作条例》条款）")
    to_status: str | None = Field(None, description="执行后的状态；为空表示状态不变")
    to_status_label: str | None = None
    document: str | None = Field(None, description="生成的文书类型")
    document_label: str | None = None
    confirm: str = Field("", description="执行前须向用户提示确认的内容")
    fields: list[ActionFieldOut]


class ActionsOut(Schema):
    case_id: int
    number: str
    status: str
    status_label: str
    version: int = Field(..., description="当前版本号，执行操作时原样提交")
    actions: list[ActionOut]


class EventOut(Schema):
    id: int
    at: datetime = Field(..., description="发生时间")
    action: str = Field(..., description="动作代码")
    label: str = Field(..., description="动作名称")
    from_status: str
    from_status_label: str
    to_status: str
    to_status_label: str
    actor: str | None = Field(None, description="操作人；系统自动处理的为空")
    unit: str | None = Field(None, description="涉及的单位（转送、交办单位或复查、复核机关等）")
    note: str = Field(..., description="说明（其中的身份证号码和电话已脱敏）")
    data: dict[str, Any] = Field(..., description="环节数据（日期、依据条款、期限等）")


class ActionIn(BaseModel):
    # `version` plus the action's own fields, named as GET /api/cases/{case_id}/actions lists them.
    # A plain pydantic model: ninja's Schema reads input through attribute getters and drops extra keys.
    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "description": "信访件版本号 `version`，加上该操作的各字段（见可办操作接口）",
            "example": {"version": 3, "on": "2026-03-05"},
        },
    )

    version: int = Field(
        ..., strict=True, title="版本号", description="信访件版本号（取自详情或可办操作接口）"
    )


class ActionResult(Schema):
    case: CaseDetail = Field(..., description="执行后的信访件")
    event: EventOut = Field(..., description="本次操作记入时间线的环节")


# Every case operation: 401 without a session or token, 404 for a case out of scope, 422 for a bad id.
CASE_ERRORS = errors(401, 404, 422)


def _event(e: CaseEvent) -> dict[str, Any]:
    return {
        "id": e.pk,
        "at": e.at,
        "action": e.action,
        "label": e.label,
        "from_status": e.from_status,
        "from_status_label": STATUS_LABELS.get(e.from_status, ""),
        "to_status": e.to_status,
        "to_status_label": STATUS_LABELS.get(e.to_status, ""),
        "actor": str(e.actor) if e.actor_id else None,
        "unit": e.unit.name if e.unit_id else None,
        "note": mask_text(e.note),
        "data": e.data or {},
    }


def _action(action: wf.Action, case: Case) -> dict[str, Any]:
    from xinfang.documents.case_documents import DOC_TYPES

    row = describe(action, case)
    row["to_status_label"] = STATUS_LABELS.get(action.to_state) if action.to_state else None
    row["document_label"] = DOC_TYPES.get(action.document) if action.document else None
    return row


def _fields_text(action: wf.Action) -> str:
    parts = []
    for f in action.fields:
        flags = "，必填" if f.required else ""
        parts.append(f"`{f.name}`（{f.label}{flags}）")
    return "、".join(parts) or "无"


def _post_description() -> str:
    lines = [
        "请求体为 JSON 对象：`version`（信访件当前版本号）加上该操作的字段。字段、类型、可选值和默认值以"
        " `GET /api/cases/{case_id}/actions` 返回的为准；日期格式为 YYYY-MM-DD，承办单位、复查（复核）机关填机构 ID，"
        "环节日期（`on`、`served_on`）未填写时为今天。不属于该操作的字段会被拒绝。",
        "",
        "返回执行后的信访件和本次记入时间线的环节。版本号已过期返回 409；输入有误返回 422（按字段列出中文信息）；"
        "当前状态不能执行返回 409；角色或单位无权执行返回 403；看不到的信访件返回 404。",
        "",
        "各操作的字段：",
        "",
    ]
    lines += [f"- `{a.code}` {a.label}：{_fields_text(a)}" for a in wf.ACTIONS.values()]
    return "\n".join(lines)


@router.get(
    "/{case_id}/actions",
    response={200: ActionsOut, **CASE_ERRORS},
    summary="当前可执行的办理操作",
    description="按办理动作表，列出当前用户此时可对该信访件执行的操作及各操作须填写的字段。",
)
def list_actions(request: HttpRequest, case_id: int):
    case = get_case_for(request.auth, case_id)
    return {
        "case_id": case.pk,
        "number": case.number,
        "status": case.status,
        "status_label": case.get_status_display(),
        "version": case.version,
        "actions": [_action(a, case) for a in allowed_actions(case, request.auth)],
    }


@router.post(
    "/{case_id}/actions/{code}",
    response={200: ActionResult, **CASE_ERRORS, **errors(400, 403, 409)},
    summary="执行办理操作（转送、受理、答复等）",
    description=_post_description(),
)
def take_action(request: HttpRequest, case_id: int, code: str, payload: ActionIn):
    case = get_case_for(request.auth, case_id)
    action = wf.ACTIONS.get(code)
    if action is None:
        raise ServiceError("未知的办理操作", code=ErrorCode.NOT_FOUND)
    version, data = arguments_from_json(action, case, payload.model_dump())
    case = execute(code, case, request.auth, version=version, **data)
    return {"case": case_detail(case), "event": _event(case.last_event)}


@router.get(
    "/{case_id}/events",
    response={200: list[EventOut], **CASE_ERRORS},
    summary="办理记录（时间线）",
    description="信访件的全部办理环节，按时间先后排列；说明中的身份证号码和电话已脱敏。",
)
def list_events(request: HttpRequest, case_id: int):
    case = get_case_for(request.auth, case_id)
    return [_event(e) for e in case.events.select_related("actor", "unit").order_by("at", "id")]
