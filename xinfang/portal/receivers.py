"""Open the satisfaction evaluation when a reply is served (cases.signals.case_transitioned, action="reply")."""

from __future__ import annotations

from django.dispatch import receiver

from xinfang.cases.signals import case_transitioned

from .services import open_evaluation

REPLY_ACTIONS = frozenset({"reply"})


@receiver(case_transitioned, dispatch_uid="portal.open_evaluation_on_reply")
def open_evaluation_on_reply(sender, *, case, action, actor=None, **kwargs) -> None:  # noqa: ANN001
    if action in REPLY_ACTIONS:
        open_evaluation(case, actor=actor)
