"""The public JSON API under /api/public/: no session, no CSRF token, throttled per address and ID number.

`build_router()` returns a fresh router, so the full site and the portal-only site (XINFANG_SITE=portal) can
each mount one."""

from __future__ import annotations

import functools
from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from xinfang.cases.choices import Nature
from xinfang.cases.models import Category
from xinfang.core.error_schema import errors

from . import public, throttle, tracking

ERROR = {"code": "throttled", "message": throttle.MESSAGE, "field": None, "errors": {}}


class PetitionIn(Schema):
    name: str
    id_number: str
    phone: str
    address: str = ""
    title: str
    content: str
    requests: str = ""
    nature: Literal["appeal", "suggestion", "accusation"] = "appeal"
    accused_organisation: int | None = None
    category: int | None = None
    website: str = ""  # honeypot: leave empty


class SuggestionIn(Schema):
    name: str
    id_number: str
    phone: str
    address: str = ""
    title: str
    content: str
    category: int | None = None
    website: str = ""


class CodeOut(Schema):
    query_code: str
    message: str


class CategoryOut(Schema):
    id: int
    name: str
    parent: str


class StageOut(Schema):
    stage: str
    label: str
    status: str
    status_label: str
    window_closes: date
    open: bool
    result: str


class PublicStatusOut(Schema):
    status: str
    received_on: date
    accepted_on: date | None
    replied_on: date | None
    concluded_on: date | None
    responsible_unit: str
    reply_text: str
    review_last_day: date | None
    can_request_review: bool
    is_suggestion: bool
    adoption: str
    evaluations: list[StageOut]


class EvaluationIn(Schema):
    phone4: str
    result: Literal["satisfied", "basically_satisfied", "dissatisfied"]
    comment: str = ""
    stage: Literal["acceptance", "result"] | None = None


class ReviewHint(Schema):
    how: str
    last_day: date | None


class EvaluationOut(Schema):
    stage: str
    result: str
    evaluated_at: datetime
    review: ReviewHint | None


class ReviewRequestIn(Schema):
    phone4: str
    reason: str


class ReviewRequestOut(Schema):
    submitted_at: datetime
    window_end: date | None
    message: str


def throttled(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except throttle.Throttled:
            return Status(429, ERROR)

    return wrapper


def _submit(request: HttpRequest, data: dict, nature: str) -> Status:
    sub = public.Submission(**{**data, "nature": nature})
    _case, code = public.submit(sub, address=throttle.client_address(request))
    return Status(201, {"query_code": code, "message": "提交成功。请牢记查询码，它只显示这一次。"})


def build_router() -> Router:
    router = Router(auth=None, tags=["公众服务（无需登录）"])
    refused = errors(404, 409, 422, 429)
    body_refused = {**refused, **errors(400)}  # 400: a body that is not JSON

    @router.get("/categories/", response=list[CategoryOut], summary="内容分类（可选）")
    def categories(request: HttpRequest):
        rows = Category.objects.filter(parent__isnull=False, is_active=True).select_related("parent")
        return [{"id": c.pk, "name": c.name, "parent": c.parent.name} for c in rows.order_by("code")]

    @router.post("/petitions/", response={201: CodeOut, **body_refused}, summary="网上信访：提交信访事项")
    @throttled
    def submit_petition(request: HttpRequest, payload: PetitionIn):
        data = payload.dict()
        return _submit(request, data, data.pop("nature"))

    @router.post("/suggestions/", response={201: CodeOut, **body_refused}, summary="人民建议征集：提交建议")
    @throttled
    def submit_suggestion(request: HttpRequest, payload: SuggestionIn):
        return _submit(request, payload.dict(), Nature.SUGGESTION)

    @router.get("/petitions/{code}/", response={200: PublicStatusOut, **refused}, summary="查询办理进度")
    @throttled
    def track(request: HttpRequest, code: str, phone4: str = ""):
        case = public.lookup(code, phone4, address=throttle.client_address(request))
        return tracking.public_view(case)

    @router.post(
        "/petitions/{code}/evaluation/", response={200: EvaluationOut, **body_refused}, summary="满意度评价"
    )
    @throttled
    def evaluate(request: HttpRequest, code: str, payload: EvaluationIn):
        case = public.lookup(code, payload.phone4, address=throttle.client_address(request))
        return tracking.evaluate(case, result=payload.result, comment=payload.comment, stage=payload.stage)

    @router.post(
        "/petitions/{code}/review-request/",
        response={201: ReviewRequestOut, **body_refused},
        summary="网上申请复查",
    )
    @throttled
    def review_request(request: HttpRequest, code: str, payload: ReviewRequestIn):
        address = throttle.client_address(request)
        case = public.lookup(code, payload.phone4, address=address)
        row = tracking.request_review(case, reason=payload.reason, address=address)
        body = {"submitted_at": row.submitted_at, "window_end": row.window_end, "message": "复查申请已提交"}
        return Status(201, body)

    return router
