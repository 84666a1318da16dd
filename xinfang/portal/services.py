"""Satisfaction evaluation services: open on acceptance and on reply, submit inside the window (online or
taken by phone), expire after it (rule 20). Evaluating the handling result moves the case to 已评价."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from xinfang.audit.services import record
from xinfang.cases.choices import Status
from xinfang.cases.models import Case
from xinfang.cases.workflow import deadlines
from xinfang.cases.workflow.codes import ActionCode
from xinfang.cases.workflow.engine import execute
from xinfang.core import clock
from xinfang.core.errors import ErrorCode, ServiceError, ValidationFailed

from .models import Evaluation, EvaluationChannel, EvaluationResult, EvaluationStage, EvaluationStatus

COMMENT_MAX = 2000


def _snapshot(ev: Evaluation) -> dict:
    return {
        "stage": ev.stage,
        "status": ev.status,
        "result": ev.result,
        "channel": ev.channel,
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


def accepted_on(case: Case) -> date:
    return timezone.localdate(case.accepted_at) if case.accepted_at else clock.today()


@transaction.atomic
def open_evaluation(
    case: Case,
    *,
    actor=None,
    served_on: date | None = None,
    stage: str = EvaluationStage.RESULT,
) -> Evaluation:
    """Open one stage's evaluation. Idempotent: a second call returns the existing row unchanged.

    The window runs from the day the reply was served (acceptance: the day the unit accepted) for
    EVALUATION_WINDOW_DAYS calendar days; the last day is still open.
    """
    existing = Evaluation.objects.filter(case=case, stage=stage).first()
    if existing is not None:
        return existing
    if served_on is None:
        served_on = accepted_on(case) if stage == EvaluationStage.ACCEPTANCE else reply_served_on(case)
    ev = Evaluation.objects.create(
        case=case, stage=stage, reply_date=served_on, window_closes=deadlines.evaluation_window_end(served_on)
    )
    record("evaluation.open", actor=actor, obj=ev, after=_snapshot(ev) | {"case": case.number})
    return ev


def _check_input(result: str, comment: str, channel: str) -> str:
    if result not in EvaluationResult.values:
        allowed = "、".join(EvaluationResult.labels)
        raise ValidationFailed({"result": [f"评价结果无效，请选择：{allowed}"]})
    if channel not in EvaluationChannel.values:
        raise ValidationFailed({"channel": ["评价渠道无效"]})
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise ValidationFailed({"comment": [f"评价意见不能超过 {COMMENT_MAX} 字"]})
    return comment


@transaction.atomic
def submit_evaluation(
    case: Case,
    result: str,
    comment: str = "",
    when: datetime | None = None,
    *,
    actor=None,
    stage: str = EvaluationStage.RESULT,
    channel: str = EvaluationChannel.ONLINE,
) -> Evaluation:
    """Record the petitioner's evaluation of one stage (online, or taken by a registrar: `actor`, `channel`).

    Refused, with nothing changed, after the window or when that stage was already evaluated. Evaluating the
    handling result moves a replied case to 已评价 through the workflow's system action `evaluate`.
    """
    comment = _check_input(result, comment, channel)
    when = when or clock.now()
    ev = Evaluation.objects.select_for_update().filter(case=case, stage=stage).first()
    if ev is None:
        what = "受理" if stage == EvaluationStage.ACCEPTANCE else "答复"
        raise ServiceError(f"该信访事项尚未{what}，暂不能评价", code=ErrorCode.NOT_ALLOWED, field="result")
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
    ev.result, ev.comment, ev.evaluated_at, ev.channel = result, comment, when, channel
    ev.recorded_by = actor
    ev.save(update_fields=["status", "result", "comment", "evaluated_at", "channel", "recorded_by"])
    record("evaluation.submit", actor=actor, obj=ev, before=before, after=_snapshot(ev))
    if stage == EvaluationStage.RESULT:
        _mark_case_evaluated(case)
    return ev


def _mark_case_evaluated(case: Case) -> None:
    fresh = Case.objects.only("status", "version").get(pk=case.pk)
    if fresh.status == Status.REPLIED:
        execute(ActionCode.EVALUATE, fresh, None, version=fresh.version)


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


def remind_evaluations(today: date | None = None) -> int:
    """Send the evaluation reminder (after commit) for pending evaluations whose window closes in exactly
    PORTAL_REMIND_DAYS_BEFORE days, so a daily run reminds each one once. Returns how many were queued."""
    from django.conf import settings

    from . import notifications

    today = today or clock.today()
    closes = today + timedelta(days=settings.XINFANG["PORTAL_REMIND_DAYS_BEFORE"])
    rows = Evaluation.objects.filter(status=EvaluationStatus.PENDING, window_closes=closes).select_related(
        "case"
    )
    count = 0
    for ev in rows:
        notifications.notify_on_commit(
            ev.case, notifications.Event.EVALUATION_REMINDER, window_closes=ev.window_closes
        )
        count += 1
    return count
