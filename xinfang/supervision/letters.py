"""Letters and recommendations (one register): number, issue, approve a draft, record the written feedback.

Each letter is recorded in the register (Letter, listed on the supervision page of its case) and in the
audit trail; a supervision service never writes a CaseEvent (the workflow owns the case timeline).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import F, QuerySet

from xinfang.audit.services import record
from xinfang.calendar.services import is_working_day, next_working_day
from xinfang.cases.models import Case
from xinfang.cases.permissions import is_accused_org
from xinfang.cases.workflow import deadlines
from xinfang.core import clock
from xinfang.core.errors import ErrorCode, ServiceError, ValidationFailed
from xinfang.orgs.models import Organisation

from .models import NUMBER_PREFIX, FeedbackStatus, Letter, LetterCounter, LetterKind, RecommendationKind

OPEN_STATUSES = (FeedbackStatus.OPEN,)


def feedback_due(issued_on: date) -> date:
    """The unit's written feedback: RECOMMENDATION_FEEDBACK_DAYS (30) calendar days, rolled to a working day."""
    due = deadlines.recommendation_feedback_due(issued_on)
    return due if is_working_day(due) else next_working_day(due)


def allocate_numbers(kind: str, year: int, count: int = 1) -> list[int]:
    """Reserve `count` consecutive numbers of a kind and year. The UPDATE locks the counter row until the
    caller's transaction ends, so two issuers never get the same number (the unique constraint backs it)."""
    LetterCounter.objects.get_or_create(kind=kind, year=year)
    LetterCounter.objects.filter(kind=kind, year=year).update(last=F("last") + count)
    last = LetterCounter.objects.values_list("last", flat=True).get(kind=kind, year=year)
    return list(range(last - count + 1, last + 1))


def format_number(kind: str, year: int, seq: int) -> str:
    return f"{NUMBER_PREFIX[kind]}〔{year}〕{seq}号"


def assign_number(letter: Letter) -> None:
    year = letter.issued_on.year
    (seq,) = allocate_numbers(letter.kind, year)
    letter.year, letter.seq, letter.number = year, seq, format_number(letter.kind, year, seq)


def snapshot(letter: Letter) -> dict:
    return {
        "number": letter.number,
        "kind": letter.kind,
        "unit": letter.unit_id,
        "case": letter.case_id,
        "status": letter.status,
        "issued_on": letter.issued_on,
        "feedback_due": letter.feedback_due,
    }


def _check(kind: str, unit: Organisation | None, content: str, case: Case | None, rec_kind: str = "") -> str:
    errors: dict[str, list[str]] = {}
    if kind not in LetterKind.values:
        errors["kind"] = [f"函件类型无效，请选择：{'、'.join(LetterKind.labels)}"]
    if kind == LetterKind.RECOMMENDATION and rec_kind not in RecommendationKind.values:
        errors["kind"] = [f"建议类型无效，请选择：{'、'.join(RecommendationKind.labels)}"]
    if unit is None:
        errors["unit"] = ["请选择对象单位"]
    content = (content or "").strip()
    if not content:
        errors["content"] = ["内容不能为空"]
    if errors:
        raise ValidationFailed(errors)
    if case is not None and is_accused_org(case, unit):
        raise ServiceError(
            "检举控告事项的材料不得发送给被检举控告单位", code=ErrorCode.ACCUSED_UNIT, field="unit"
        )
    return content


@transaction.atomic
def issue_letter(
    *,
    actor,
    kind: str,
    unit: Organisation | None,
    content: str,
    case: Case | None = None,
    reason: str = "",
    issued_on: date | None = None,
    feedback_due_on: date | None = None,
    recommendation_kind: str = "",
) -> Letter:
    """Issue a letter by hand (a supervisor, with a reason) to a unit, numbered, with a feedback deadline."""
    content = _check(kind, unit, content, case, recommendation_kind)
    if case is not None and kind != LetterKind.RECOMMENDATION:
        pending = Letter.objects.filter(case=case, kind=kind, unit=unit, status=FeedbackStatus.OPEN).first()
        if pending is not None:  # the ladder escalates an unanswered letter; a second copy only confuses
            raise ServiceError(
                f"该信访件已有待反馈的{LetterKind(kind).label}（{pending.number}），"
                f"请待单位反馈或逾期后按督办程序升级",
                code=ErrorCode.NOT_ALLOWED,
                field="kind",
            )
    issued_on = issued_on or clock.today()
    due = feedback_due_on or feedback_due(issued_on)
    if due <= issued_on:
        raise ValidationFailed({"feedback_due": ["反馈期限必须晚于发出日期"]})
    letter = Letter(
        kind=kind,
        recommendation_kind=recommendation_kind if kind == LetterKind.RECOMMENDATION else "",
        unit=unit,
        case=case,
        content=content,
        reason=(reason or "").strip()[:300],
        issued_on=issued_on,
        feedback_due=due,
        issued_by=actor,
    )
    assign_number(letter)
    letter.save()
    record("letter.issue", actor=actor, obj=letter, after=snapshot(letter))
    return letter


def issue_recommendation(
    *,
    actor,
    kind: str,
    unit: Organisation | None,
    content: str,
    case: Case | None = None,
    issued_on: date | None = None,
) -> Letter:
    """An art.40 recommendation (改进工作 / 完善政策 / 追究责任): a letter of kind `recommendation`."""
    if kind not in RecommendationKind.values:
        _check(LetterKind.RECOMMENDATION, unit, content, case, kind)
    issued_on = issued_on or clock.today()
    return issue_letter(
        actor=actor,
        kind=LetterKind.RECOMMENDATION,
        recommendation_kind=kind,
        unit=unit,
        content=content,
        case=case,
        issued_on=issued_on,
        feedback_due_on=deadlines.recommendation_feedback_due(issued_on),
    )


@transaction.atomic
def decide_draft(letter: Letter, *, actor, approve: bool, note: str = "") -> Letter:
    """A leader approves a drafted 问责建议函 (it is numbered and sent today) or declines it."""
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if letter.status != FeedbackStatus.DRAFT:
        raise ServiceError("该函件不是待审批的草稿", code=ErrorCode.NOT_ALLOWED)
    before = snapshot(letter)
    letter.approved_by = actor
    if approve:
        letter.status = FeedbackStatus.OPEN
        letter.issued_on = clock.today()
        letter.feedback_due = feedback_due(letter.issued_on)
        assign_number(letter)
    else:
        letter.status = FeedbackStatus.DECLINED
        letter.feedback = (note or "").strip()
    letter.save()
    record(
        "letter.approve" if approve else "letter.decline",
        actor=actor,
        obj=letter,
        before=before,
        after=snapshot(letter),
    )
    return letter


@transaction.atomic
def record_feedback(
    letter: Letter,
    *,
    actor,
    text: str,
    received_on: date | None = None,
    adopted: bool | None = None,
) -> Letter:
    """Record the unit's written feedback and close the letter."""
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if letter.status != FeedbackStatus.OPEN:
        raise ServiceError("已记录书面反馈，不能重复记录", code=ErrorCode.NOT_ALLOWED, field="feedback")
    received_on = received_on or clock.today()
    text = (text or "").strip()
    if not text:
        raise ValidationFailed({"feedback": ["书面反馈内容不能为空"]})
    if received_on < letter.issued_on:
        raise ValidationFailed({"feedback_on": ["反馈日期不能早于发出日期"]})
    if letter.kind == LetterKind.RECOMMENDATION and adopted is None:
        raise ValidationFailed({"adopted": ["请填写是否采纳建议"]})
    before = snapshot(letter)
    letter.status, letter.feedback, letter.feedback_on = FeedbackStatus.CLOSED, text, received_on
    letter.adopted, letter.feedback_by = adopted, actor
    letter.save(update_fields=["status", "feedback", "feedback_on", "adopted", "feedback_by"])
    record("letter.feedback", actor=actor, obj=letter, before=before, after=snapshot(letter))
    return letter


# --- selectors -------------------------------------------------------------------------------------------


def overdue_letters(today: date | None = None, kind: str | None = None) -> QuerySet[Letter]:
    """Open letters whose feedback deadline has passed."""
    today = today or clock.today()
    qs = Letter.objects.filter(status=FeedbackStatus.OPEN, feedback_due__lt=today).select_related("unit")
    return qs.filter(kind=kind) if kind else qs


def overdue_recommendations(today: date | None = None) -> QuerySet[Letter]:
    """Open recommendations whose feedback window has passed (rule 18)."""
    return overdue_letters(today, LetterKind.RECOMMENDATION)


def is_overdue(letter: Letter, today: date | None = None) -> bool:
    today = today or clock.today()
    return letter.status == FeedbackStatus.OPEN and today > letter.feedback_due
