"""Create art.25 report tasks when a major/urgent case is registered (or later flagged)."""

from __future__ import annotations

from django.dispatch import receiver

from xinfang.cases.signals import case_registered
from xinfang.cases.workflow import hooks

from .reports import create_report_tasks


@receiver(case_registered, dispatch_uid="supervision.report_tasks_on_register")
def report_tasks_on_register(sender, *, case, actor=None, **kwargs) -> None:
    if case.is_major_urgent:
        create_report_tasks(case, actor=actor)


@hooks.after(hooks.ANY)
def report_tasks_on_transition(*, case, actor=None, **kwargs) -> None:
    # A case flagged major/urgent after registration gets its tasks at the next transition (idempotent).
    if case.is_major_urgent:
        create_report_tasks(case, actor=actor)
