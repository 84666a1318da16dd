"""Workflow subscriptions: open the evaluations (acceptance, reply) and notify the petitioner after commit."""

from __future__ import annotations

from xinfang.cases.workflow import hooks
from xinfang.cases.workflow.codes import ActionCode
from xinfang.core import clock

from . import notifications
from .models import EvaluationStage, OnlineReviewRequest
from .services import open_evaluation


@hooks.after(ActionCode.ACCEPT)
def open_acceptance_evaluation(*, case, actor=None, **kwargs) -> None:
    open_evaluation(case, actor=actor, stage=EvaluationStage.ACCEPTANCE)
    notifications.notify_on_commit(case, notifications.Event.ACCEPTED)


@hooks.after(ActionCode.REPLY)
def open_evaluation_on_reply(*, case, actor=None, **kwargs) -> None:
    open_evaluation(case, actor=actor)
    notifications.notify_on_commit(case, notifications.Event.REPLIED)


@hooks.after(ActionCode.ANSWER_SUGGESTION)
def notify_suggestion_answered(*, case, **kwargs) -> None:
    notifications.notify_on_commit(case, notifications.Event.REPLIED)


@hooks.after(ActionCode.REQUEST_REVIEW)
def mark_online_review_requests_entered(*, case, **kwargs) -> None:
    """The registrar entered the 复查 request: the online requests it answers are no longer waiting."""
    OnlineReviewRequest.objects.filter(case=case, handled_at__isnull=True).update(handled_at=clock.now())
