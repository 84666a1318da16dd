"""Keep the daily rollups current from the case signals."""

from __future__ import annotations

from django.dispatch import receiver

from xinfang.cases.signals import case_registered, case_transitioned

from . import rollups


@receiver(case_registered, dispatch_uid="analytics.rollup_registered")
def rollup_registered(sender, *, case, **kwargs) -> None:  # noqa: ANN001
    rollups.on_registered(case)


@receiver(case_transitioned, dispatch_uid="analytics.rollup_replied")
def rollup_replied(sender, *, case, action, **kwargs) -> None:  # noqa: ANN001
    if action == "reply":
        rollups.on_replied(case)
