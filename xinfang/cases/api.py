"""JSON API for cases: register, list, detail. Same services and permission checks as the pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import AfterValidator, create_model

from xinfang.cases.permissions import get_case_for
from xinfang.core.error_schema import errors
from xinfang.core.text import clean_text

from .identity import mask_id, mask_phone, mask_text
from .models import CaseEvent
from .registration import PetitionerInput, RegistrationInput, schema_fields
from .selectors import filtered_cases, paginate
from .services import register_case

router = Router(tags=["信访事项"])


# Generated from the registration dataclasses: same JSON names, the model's max_length and integer
# range (422 on SQLite and PostgreSQL alike), text through clean_text.
PetitionerIn = create_model("PetitionerIn", __base__=Schema, **schema_fields(PetitionerInput))
CaseIn = create_model(
    "CaseIn",
    __base__=Schema,
    **schema_fields(RegistrationInput),
    petitioners=(list[PetitionerIn], Field(..., description="信访人（至少一名）")),
)


class PetitionerOut(Schema):
    name: str
    id_number: str
    phone: str
    is_primary: bool
    is_representative: bool


class CaseSummary(Schema):
    id: int
    number: str
    title: str
    channel: str
    status: str
    status_label: str
    category: str
    nature: str
    responsible_unit: str | None
    received_date: date
    registered_at: datetime
    due_date: date | None
    deadline_provisional: bool
    is_collective: bool
    is_repeat_suspect: bool


class CaseDetail(CaseSummary):
    version: int = Field(..., description="版本号（办理操作须提交，用于检测并发修改）")
    content: str
    requests: str
    headcount: int
    repeat_reason: str
    petitioners: list[PetitionerOut]
    timeline: list[dict]


class CasePage(Schema):
    count: int
    count_capped: bool
    next_cursor: str | None
    results: list[CaseSummary]


# Query text through clean_text: PostgreSQL refuses a NUL even in a WHERE clause; ids within a
# bigint, or SQLite raises OverflowError.
Text = Annotated[str, AfterValidator(clean_text)]
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


class ListFilters(Schema):
    q: Text | None = None
    status: Text | None = None
    unit: Id | None = None
    channel: Text | None = None
    category: Id | None = None
    nature: Text | None = None
    flag: Text | None = None
    date_from: date | None = None
    date_to: date | None = None
    overdue: bool = False
    after: Text | None = None


def _summary(case) -> dict:
    return {
        "id": case.pk,
        "number": case.number,
        "title": case.title,
        "channel": case.channel,
        "status": case.status,
        "status_label": case.get_status_display(),
        "category": str(case.category.name),
        "nature": case.nature,
        "responsible_unit": case.responsible_unit.name if case.responsible_unit_id else None,
        "received_date": case.received_date,
        "registered_at": case.registered_at,
        "due_date": case.due_date,
        "deadline_provisional": case.deadline_provisional,
        "is_collective": case.is_collective,
        "is_repeat_suspect": case.is_repeat_suspect,
    }


def case_detail(case) -> dict:
    parties = case.parties.select_related("petitioner").order_by("-is_primary", "id")
    return {
        **_summary(case),
        "version": case.version,
        "content": case.content,
        "requests": case.requests,
        "headcount": case.headcount,
        "repeat_reason": case.repeat_reason,
        # The API never returns identity numbers or phones in full; the audited reveal is a page action.
        "petitioners": [
            {
                "name": cp.petitioner.name,
                "id_number": mask_id(cp.petitioner.id_number),
                "phone": mask_phone(cp.petitioner.phone),
                "is_primary": cp.is_primary,
                "is_representative": cp.is_representative,
            }
            for cp in parties
        ],
        "timeline": [
            {
                "at": e.at,
                "action": e.action,
                "label": e.label,
                "to_status": e.to_status,
                "note": mask_text(e.note),
            }
            for e in CaseEvent.objects.of(case).order_by("at", "id")
        ],
    }


@router.post("/", response={201: CaseDetail, **errors(400, 401, 403, 409, 422)}, summary="登记信访事项")
def create_case(request: HttpRequest, payload: CaseIn):
    data = payload.dict()
    people = [PetitionerInput(**p) for p in data.pop("petitioners")]
    case = register_case(actor=request.auth, data=RegistrationInput(petitioners=people, **data))
    return Status(201, case_detail(case))


@router.get(
    "/", response={200: CasePage, **errors(401, 422)}, summary="信访事项列表（按登记时间倒序，游标分页）"
)
def list_cases(request: HttpRequest, filters: Query[ListFilters]):
    params = filters.dict()
    page = paginate(filtered_cases(request.auth, params), params.pop("after"))
    return {
        "count": page.count,
        "count_capped": page.count_capped,
        "next_cursor": page.next_cursor,
        "results": [_summary(c) for c in page.rows],
    }


@router.get("/{case_id}", response={200: CaseDetail, **errors(401, 404, 422)}, summary="信访事项详情")
def get_case(request: HttpRequest, case_id: int):
    return case_detail(get_case_for(request.auth, case_id))
