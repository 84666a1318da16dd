"""JSON API: the letters register and the warnings, scoped like every list (404 for a case out of scope)."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from ninja import Query, Router, Schema

from xinfang.cases.permissions import get_case_for
from xinfang.core.error_schema import errors

from .selectors import visible_letters, visible_warnings, warning_case_ids

letters_router = Router(tags=["督办"])
warnings_router = Router(tags=["预警"])


class LetterOut(Schema):
    id: int
    kind: str
    kind_label: str
    number: str
    status: str
    status_label: str
    unit: str
    case: int | None
    reason: str
    issued_on: date
    feedback_due: date
    feedback: str
    feedback_on: date | None


class WarningOut(Schema):
    id: int
    kind: str
    kind_label: str
    reason: str
    cases: list[int]
    status: str
    status_label: str
    raised_on: date


class CaseFilter(Schema):
    case: int | None = None


# 404: the `case` filter names a case out of scope; 422: it is not an id.
@letters_router.get(
    "/letters/", response={200: list[LetterOut], **errors(401, 404, 422)}, summary="督办函件与建议"
)
def list_letters(request: HttpRequest, filters: Query[CaseFilter]) -> list[dict]:
    qs = visible_letters(request.user)
    if filters.case is not None:
        qs = qs.filter(case=get_case_for(request.user, filters.case))
    return [
        {
            "id": x.pk,
            "kind": x.kind,
            "kind_label": x.kind_label,
            "number": x.number,
            "status": x.status,
            "status_label": x.get_status_display(),
            "unit": x.unit.name,
            "case": x.case_id,
            "reason": x.reason,
            "issued_on": x.issued_on,
            "feedback_due": x.feedback_due,
            "feedback": x.feedback,
            "feedback_on": x.feedback_on,
        }
        for x in qs.order_by("-issued_on", "-pk")[:500]
    ]


@warnings_router.get("/", response={200: list[WarningOut], **errors(401, 404, 422)}, summary="信访预警")
def list_warnings(request: HttpRequest, filters: Query[CaseFilter]) -> list[dict]:
    qs = visible_warnings(request.user)
    if filters.case is not None:
        qs = qs.filter(cases=get_case_for(request.user, filters.case))
    return [
        {
            "id": w.pk,
            "kind": w.kind,
            "kind_label": w.get_kind_display(),
            "reason": w.reason,
            "cases": warning_case_ids(request.user, w),
            "status": w.status,
            "status_label": w.get_status_display(),
            "raised_on": w.raised_on,
        }
        for w in qs.order_by("-raised_on", "-pk")[:500]
    ]
