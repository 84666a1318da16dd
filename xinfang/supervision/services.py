"""Recommendations (三项建议权, art.40; rule 18) and supervision letters (提醒函/督办函/问责建议函)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import QuerySet

from xinfang.audit.services import record
from xinfang.cases.models import Case
from xinfang.cases.permissions import is_accused_org
from xinfang.cases.workflow import deadlines
from xinfang.core import clock
from xinfang.core.errors import ErrorCode, ServiceError, ValidationFailed
from xinfang.orgs.models import Organisation

from .models import FeedbackStatus, LetterKind, Recommendation, RecommendationKind, SupervisionLetter


def _check_common(kind: str, kinds, unit, content: str, case: Case | None, kind_label: str) -> str:  # noqa: ANN001
    errors: dict[str, list[str]] = {}
    if kind not in kinds.values:
        errors["kind"] = [f"{kind_label}无效，请选择：{'、'.join(kinds.labels)}"]
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


def _snapshot(obj) -> dict:  # noqa: ANN001
    return {
        "kind": obj.kind,
        "unit": obj.unit_id,
        "case": obj.case_id,
        "status": obj.status,
        "issued_on": obj.issued_on,
    }


@transaction.atomic
def issue_recommendation(
    *,
    actor,  # noqa: ANN001
    kind: str,
    unit: Organisation,
    content: str,
    case: Case | None = None,
    issued_on: date | None = None,
) -> Recommendation:
    """Issue an art.40 recommendation; it stays open until written feedback is recorded."""
    content = _check_common(kind, RecommendationKind, unit, content, case, "建议类型")
    issued_on = issued_on or clock.today()
    rec = Recommendation.objects.create(
        kind=kind,
        unit=unit,
        case=case,
        content=content,
        issued_on=issued_on,
        feedback_due=deadlines.recommendation_feedback_due(issued_on),
        issued_by=actor,
    )
    record("recommendation.issue", actor=actor, obj=rec, after=_snapshot(rec) | {"due": rec.feedback_due})
    return rec


@transaction.atomic
def issue_letter(
    *,
    actor,  # noqa: ANN001
    kind: str,
    unit: Organisation,
    content: str,
    case: Case | None = None,
    issued_on: date | None = None,
    reply_due: date | None = None,
) -> SupervisionLetter:
    """Send a 提醒函/督办函/问责建议函 to a unit with a due date for its written reply."""
    content = _check_common(kind, LetterKind, unit, content, case, "函件类型")
    issued_on = issued_on or clock.today()
    reply_due = reply_due or deadlines.letter_reply_due(issued_on)
    if reply_due <= issued_on:
        raise ValidationFailed({"reply_due": ["回复期限必须晚于发函日期"]})
    letter = SupervisionLetter.objects.create(
        kind=kind,
        unit=unit,
        case=case,
        content=content,
        issued_on=issued_on,
        reply_due=reply_due,
        issued_by=actor,
    )
    record("letter.issue", actor=actor, obj=letter, after=_snapshot(letter) | {"due": reply_due})
    return letter


def _feedback_text(text: str, received_on: date, issued_on: date) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationFailed({"feedback": ["书面反馈内容不能为空"]})
    if received_on < issued_on:
        raise ValidationFailed({"feedback_on": ["反馈日期不能早于发出日期"]})
    return text


@transaction.atomic
def record_feedback(
    obj: Recommendation | SupervisionLetter,
    *,
    actor,  # noqa: ANN001
    text: str,
    received_on: date | None = None,
    adopted: bool | None = None,
) -> Recommendation | SupervisionLetter:
    """Record the recipient's written feedback (or reply) and close the item."""
    model = type(obj)
    obj = model.objects.select_for_update().get(pk=obj.pk)
    if obj.status == FeedbackStatus.CLOSED:
        raise ServiceError("已记录书面反馈，不能重复记录", code=ErrorCode.NOT_ALLOWED, field="feedback")
    received_on = received_on or clock.today()
    text = _feedback_text(text, received_on, obj.issued_on)
    before = _snapshot(obj)
    obj.status = FeedbackStatus.CLOSED
    if isinstance(obj, Recommendation):
        if adopted is None:
            raise ValidationFailed({"adopted": ["请填写是否采纳建议"]})
        obj.feedback, obj.feedback_on, obj.adopted = text, received_on, adopted
        fields = ["status", "feedback", "feedback_on", "adopted"]
    else:
        obj.reply, obj.replied_on = text, received_on
        fields = ["status", "reply", "replied_on"]
    obj.save(update_fields=fields)
    record(f"{model._meta.model_name}.feedback", actor=actor, obj=obj, before=before, after=_snapshot(obj))
    return obj


# --- selectors -----------------------------------------------------------------------------------------


def overdue_recommendations(today: date | None = None) -> QuerySet[Recommendation]:
    """Open recommendations whose feedback window has passed (rule 18)."""
    today = today or clock.today()
    return Recommendation.objects.filter(status=FeedbackStatus.OPEN, feedback_due__lt=today).select_related(
        "unit"
    )


def overdue_letters(today: date | None = None) -> QuerySet[SupervisionLetter]:
    today = today or clock.today()
    return SupervisionLetter.objects.filter(status=FeedbackStatus.OPEN, reply_due__lt=today).select_related(
        "unit"
    )


def is_overdue(obj: Recommendation | SupervisionLetter, today: date | None = None) -> bool:
    today = today or clock.today()
    due = obj.feedback_due if isinstance(obj, Recommendation) else obj.reply_due
    return obj.status == FeedbackStatus.OPEN and today > due
