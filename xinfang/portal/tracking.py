"""What a petitioner sees of their case (design.md §3: the public status set), and what they may do on it:
evaluate a stage, ask for 复查 online. Nothing else about the case leaves through here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from xinfang.audit.services import record
from xinfang.cases.choices import PUBLIC_STATUS, Nature, Status
from xinfang.cases.models import Case, CaseEvent
from xinfang.cases.workflow.records import CaseDocument, CaseOpinion
from xinfang.core import clock
from xinfang.core.errors import ErrorCode, ServiceError, ValidationFailed

from .models import Evaluation, EvaluationResult, EvaluationStage, EvaluationStatus, OnlineReviewRequest
from .services import submit_evaluation

# The API's words for the results → the stored codes (rule 13 / analytics use the stored ones).
PUBLIC_RESULTS = {
    "satisfied": EvaluationResult.SATISFIED,
    "basically_satisfied": EvaluationResult.BASICALLY,
    "dissatisfied": EvaluationResult.UNSATISFIED,
}
REVIEW_OPEN_FROM = frozenset({Status.REPLIED, Status.EVALUATED})
REVIEW_HOW = (
    "对处理意见不服的，可以自收到书面答复之日起30日内请求原办理机关的上一级机关复查；"
    "可在本页面“申请复查”中在线提出，或以书面形式向复查机关提出。"
)


@dataclass
class StageView:
    stage: str
    label: str
    status: str
    status_label: str
    window_closes: date
    open: bool
    result: str = ""


@dataclass
class PublicView:
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
    adoption: str = ""
    evaluations: list[StageView] = field(default_factory=list)


def reply_opinion(case: Case) -> CaseOpinion | None:
    return case.opinions.filter(kind="reply").order_by("-served_on", "-pk").first()


def _local(dt) -> date | None:
    return timezone.localdate(dt) if dt else None


def _stage_views(case: Case) -> list[StageView]:
    today = clock.today()
    out = []
    for ev in Evaluation.objects.filter(case=case).order_by("stage"):
        lapsed = ev.status == EvaluationStatus.PENDING and today > ev.window_closes
        status = EvaluationStatus.EXPIRED if lapsed else EvaluationStatus(ev.status)
        out.append(
            StageView(
                stage=ev.stage,
                label=ev.get_stage_display(),
                status=status.value,
                status_label=status.label,
                window_closes=ev.window_closes,
                open=status == EvaluationStatus.PENDING,
                result=ev.get_result_display() if ev.result else "",
            )
        )
    return out


def review_window_end(case: Case) -> date | None:
    opinion = reply_opinion(case)
    return opinion.next_window_end if opinion else None


def can_request_review(case: Case) -> bool:
    last_day = review_window_end(case)
    return (
        case.status in REVIEW_OPEN_FROM
        and last_day is not None
        and clock.today() <= last_day
        and not case.online_review_requests.filter(handled_at__isnull=True).exists()
    )


def _suggestion_answer(case: Case) -> str:
    """The 研究论证意见 of answer_suggestion: the event's note without the document suffix the engine adds."""
    event = CaseEvent.objects.of(case).filter(action="answer_suggestion").order_by("-at").first()
    if event is None:
        return ""
    doc = CaseDocument.objects.filter(event=event).only("title").first()
    return event.note.removesuffix(f"（文书：{doc.title}）") if doc else event.note


def public_view(case: Case) -> PublicView:
    opinion = reply_opinion(case)
    answer = _suggestion_answer(case) if case.nature == Nature.SUGGESTION and case.outcome else ""
    return PublicView(
        status=PUBLIC_STATUS.get(case.status, "办理中"),
        received_on=case.received_date,
        accepted_on=_local(case.accepted_at),
        replied_on=opinion.served_on if opinion else _local(case.replied_at),
        concluded_on=_local(case.concluded_at),
        responsible_unit=case.responsible_unit.name if case.responsible_unit_id else "",
        reply_text=opinion.decision_text if opinion else answer,
        review_last_day=opinion.next_window_end if opinion else None,
        can_request_review=can_request_review(case),
        is_suggestion=case.nature == Nature.SUGGESTION,
        adoption=case.get_outcome_display() if case.outcome else "",
        evaluations=_stage_views(case),
    )


def open_stage(case: Case) -> str | None:
    """The stage an evaluation without a named stage is for: the handling result once the reply opened it,
    before that the acceptance (a petitioner names `stage` to evaluate the acceptance afterwards)."""
    stages = set(Evaluation.objects.filter(case=case).values_list("stage", flat=True))
    for stage in (EvaluationStage.RESULT, EvaluationStage.ACCEPTANCE):
        if stage in stages:
            return stage
    return None


def evaluate(case: Case, *, result: str, comment: str = "", stage: str | None = None) -> dict:
    """The petitioner's online evaluation. Returns what was recorded and, for 不满意, how to ask for 复查."""
    if result not in PUBLIC_RESULTS:
        raise ValidationFailed({"result": ["评价结果无效，请选择：满意、基本满意、不满意"]})
    stage = stage or open_stage(case) or EvaluationStage.RESULT
    ev = submit_evaluation(case, PUBLIC_RESULTS[result], comment, stage=stage)
    out = {"stage": ev.stage, "result": result, "evaluated_at": ev.evaluated_at, "review": None}
    if ev.result == EvaluationResult.UNSATISFIED:
        out["review"] = {"how": REVIEW_HOW, "last_day": review_window_end(case)}
    return out


@transaction.atomic
def request_review(case: Case, *, reason: str, address: str = "") -> OnlineReviewRequest:
    """Ask for 复查 online, inside the window: kept for the registrar, who enters it with request_review."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": ["请填写申请复查的理由"]})
    if len(reason) > 2000:
        raise ValidationFailed({"reason": ["复查理由不能超过2000字"]})
    Case.objects.select_for_update().filter(pk=case.pk).first()
    last_day = review_window_end(case)
    if last_day is not None and clock.today() > last_day:
        raise ServiceError(
            f"申请复查的期限已于 {last_day:%Y-%m-%d} 届满", code=ErrorCode.DEADLINE_PASSED, field="reason"
        )
    if not can_request_review(case):
        raise ServiceError(
            "本件当前不能申请复查，或已提交复查申请", code=ErrorCode.NOT_ALLOWED, field="reason"
        )
    row = OnlineReviewRequest.objects.create(
        case=case, reason=reason, submitted_at=clock.now(), window_end=last_day
    )
    record("portal.review_request", obj=case, address=address, after={"request": row.pk})
    return row
