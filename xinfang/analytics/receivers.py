"""Keep the daily rollups current: registrations from the cases signal, replies from the workflow hook."""

from __future__ import annotations

from django.dispatch import receiver

from xinfang.cases.signals import case_registered
from xinfang.cases.workflow import hooks
from xinfang.cases.workflow.codes import ActionCode

from . import rollups


@receiver(case_registered, dispatch_uid="analytics.rollup_registered")
def rollup_registered(sender, *, case, **kwargs) -> None:
    rollups.on_registered(case)


@hooks.after(ActionCode.REPLY)
def rollup_replied(*, case, **kwargs) -> None:
    rollups.on_replied(case)
