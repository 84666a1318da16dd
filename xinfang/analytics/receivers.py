"""Keep the rollups current: registrations from the cases signal, every workflow action from the hooks, and
evaluations as they are saved; all inside the transaction of the change."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from xinfang.cases.signals import case_registered, cases_registered_in_bulk
from xinfang.cases.workflow import hooks
from xinfang.cases.workflow.codes import ActionCode

from . import cohorts, rollups


@receiver(case_registered, dispatch_uid="analytics.rollup_registered")
def rollup_registered(sender, *, case, **kwargs) -> None:
    rollups.on_registered(case)
    cohorts.refresh(case)


@receiver(cases_registered_in_bulk, dispatch_uid="analytics.rollup_registered_in_bulk")
def rollup_registered_in_bulk(sender, *, cases, **kwargs) -> None:
    rollups.on_registered_in_bulk(cases)
    cohorts.add_new(cases)


@hooks.after(ActionCode.REPLY)
def rollup_replied(*, case, **kwargs) -> None:
    rollups.on_replied(case)


@hooks.after(hooks.ANY)
def cohort_after_action(*, case, **kwargs) -> None:
    cohorts.refresh(case, current=True)  # the engine's copy: exactly the row it just wrote


@receiver(post_save, sender="portal.Evaluation", dispatch_uid="analytics.cohort_evaluation")
def cohort_after_evaluation(sender, *, instance, **kwargs) -> None:
    if hooks.running_for(instance.case_id):
        return  # saved by an action's subscriber: cohort_after_action (every action, run last) refreshes the case
    cohorts.refresh(instance.case)
