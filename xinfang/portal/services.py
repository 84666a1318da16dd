"""Satisfaction evaluation services: open on reply, submit inside the window, expire after it (rule 20)."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from xinfang.audit.services import record
from xinfang.cases.models import Case
from xinfang.cases.workflow import deadlines
from xinfang.core import clock
from xinfang.core.errors import ErrorCode, ServiceError, ValidationFailed

from .models import Evaluation, EvaluationResult, EvaluationStatus


def _snapshot(ev: Evaluation) -> dict:
    return {
        "status": ev.status,
        "result": ev.result,
        "window_closes": ev.window_closes,
        "evaluated_at": ev.evaluated_at,
    }


def reply_served_on(case: Case) -> date:
    """The day the written reply reached the petitioner: the reply opinion's 送达日期 when the workflow
    recorded one, else the local date of `replied_at`, else today."""
    opinion = (
        case.opinions.filter(kind="reply").order_by("-served_on").values_list("served_on", flat=True).first()
    )
    if opinion:
        return opinion
    return timezone.localdate(case.replied_at) if case.replied_at else clock.today()


@transaction.atomic
def open_evaluation(case: Case, *, actor=None, served_on: date | None = None) -> Evaluation:  # noqa: ANN001
    """Open the evaluation of a replied case. Idempotent: a second call returns the existing row unchanged.

    The window runs from the day the reply was served (`served_on`, else `reply_served_on(case)`) for
    EVALUATION_WINDOW_DAYS calendar days; the last day is still open.
    """
    existing = Evaluation.objects.filter(case=case).first()
    if existing is not None:
        return existing
    served_on = served_on or reply_served_on(case)
    ev = Evaluation.objects.create(
        case=case, reply_date=served_on, window_closes=deadlines.evaluation_window_end(served_on)
    )
    record("evaluation.open", actor=actor, obj=ev, after=_snapshot(ev) | {"case": case.number})
    return ev


@transaction.atomic
def submit_evaluation(
    case: Case,
    result: str,
    comment: str = "",
    when: datetime | None = None,
    *,
    actor=None,  # noqa: ANN001
) -> Evaluation:
    """Record the petitioner's evaluation. Refused (and nothing changed) after the window or when already done."""
    if result not in EvaluationResult.values:
        allowed = "、".join(EvaluationResult.labels)
        raise ValidationFailed({"result": [f"评价结果无效，请选择：{allowed}"]})
    comment = (comment or "").strip()
    if len(comment) > 2000:
        raise ValidationFailed({"comment": ["评价意见不能超过 2000 字"]})
    when = when or clock.now()
    ev = Evaluation.objects.select_for_update().filter(case=case).first()
    if ev is None:
        raise ServiceError("该信访事项尚未答复，暂不能评价", code=ErrorCode.NOT_ALLOWED, field="result")
    if ev.status == EvaluationStatus.EVALUATED:
        raise ServiceError("该信访事项已评价，不能重复评价", code=ErrorCode.NOT_ALLOWED, field="result")
    if ev.status == EvaluationStatus.EXPIRED or timezone.localdate(when) > ev.window_closes:
        raise ServiceError(
            f"评价期限已于 {ev.window_closes:%Y-%m-%d} 截止，不能再评价",
            code=ErrorCode.DEADLINE_PASSED,
            field="result",
        )
    before = _snapshot(ev)
    ev.status = EvaluationStatus.EVALUATED
    ev.result = result
    ev.comment = comment
    ev.evaluated_at = when
    ev.save(update_fields=["status", "result", "comment", "evaluated_at"])
    record("evaluation.submit", actor=actor, obj=ev, before=before, after=_snapshot(ev))
    return ev


@transaction.atomic
def expire_evaluations(now: datetime | None = None) -> int:
    """Move pending evaluations whose window closed before today to 超期未评价. Returns how many moved."""
    today = timezone.localdate(now or clock.now())
    qs = Evaluation.objects.select_for_update().filter(
        status=EvaluationStatus.PENDING, window_closes__lt=today
    )
    ids = list(qs.values_list("pk", flat=True))
    if not ids:
        return 0
    Evaluation.objects.filter(pk__in=ids).update(status=EvaluationStatus.EXPIRED)
    record(
        "evaluation.expire",
        object_type="portal.evaluation",
        object_id=f"batch:{today.isoformat()}",
        before={"status": EvaluationStatus.PENDING, "ids": ids},
        after={"status": EvaluationStatus.EXPIRED, "count": len(ids), "as_of": today},
    )
    return len(ids)
