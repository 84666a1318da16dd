"""Open the satisfaction evaluation when a reply is served (workflow hook on ActionCode.REPLY)."""

from __future__ import annotations

from xinfang.cases.workflow import hooks
from xinfang.cases.workflow.codes import ActionCode

from .services import open_evaluation


@hooks.after(ActionCode.REPLY)
def open_evaluation_on_reply(*, case, actor=None, **kwargs) -> None:
    open_evaluation(case, actor=actor)
