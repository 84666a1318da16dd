"""One named function per action of the table, for services, jobs and tests (each runs `engine.execute`)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Exists, OuterRef

from xinfang.core import clock
from xinfang.core.errors import ServiceError
from xinfang.orgs.models import Organisation, User

from ..choices import Status
from ..models import Case
from .codes import ActionCode as A
from .engine import execute
from .records import CaseOpinion

Date = datetime.date


def forward_case(case: Case, actor: User, *, version: int, unit: Organisation, **kw: Any) -> Case:
    return execute(A.FORWARD, case, actor, version=version, unit=unit, **kw)


def assign_case(
    case: Case, actor: User, *, version: int, unit: Organisation, result_due: Date, **kw: Any
) -> Case:
    return execute(A.ASSIGN, case, actor, version=version, unit=unit, result_due=result_due, **kw)


def inform_case(case: Case, actor: User, *, version: int, route: str, **kw: Any) -> Case:
    return execute(A.INFORM, case, actor, version=version, route=route, **kw)


def accept_case(case: Case, actor: User, *, version: int, **kw: Any) -> Case:
    return execute(A.ACCEPT, case, actor, version=version, **kw)


def not_accept_case(case: Case, actor: User, *, version: int, ground: str, **kw: Any) -> Case:
    return execute(A.NOT_ACCEPT, case, actor, version=version, ground=ground, **kw)


def object_case(case: Case, actor: User, *, version: int, reason: str, **kw: Any) -> Case:
    return execute(A.OBJECT, case, actor, version=version, reason=reason, **kw)


def reject_objection(case: Case, actor: User, *, version: int, reason: str, **kw: Any) -> Case:
    return execute(A.REJECT_OBJECTION, case, actor, version=version, reason=reason, **kw)


def start_handling(case: Case, actor: User, *, version: int, **kw: Any) -> Case:
    return execute(A.START_HANDLING, case, actor, version=version, **kw)


def extend_deadline(case: Case, actor: User, *, version: int, days: int, reason: str, **kw: Any) -> Case:
    return execute(A.EXTEND, case, actor, version=version, days=days, reason=reason, **kw)


def hold_hearing(case: Case, actor: User, *, version: int, start: Date, end: Date, **kw: Any) -> Case:
    return execute(A.HEARING, case, actor, version=version, start=start, end=end, **kw)


def reply_case(case: Case, actor: User, *, version: int, **opinion: Any) -> Case:
    return execute(A.REPLY, case, actor, version=version, **opinion)


def request_review(
    case: Case, actor: User, *, version: int, body: Organisation, received_on: Date, reason: str
) -> Case:
    return execute(
        A.REQUEST_REVIEW, case, actor, version=version, body=body, received_on=received_on, reason=reason
    )


def review_case(case: Case, actor: User, *, version: int, **opinion: Any) -> Case:
    return execute(A.REVIEW_OPINION, case, actor, version=version, **opinion)


def request_rereview(
    case: Case, actor: User, *, version: int, body: Organisation, received_on: Date, reason: str
) -> Case:
    return execute(
        A.REQUEST_REREVIEW, case, actor, version=version, body=body, received_on=received_on, reason=reason
    )


def rereview_case(case: Case, actor: User, *, version: int, **opinion: Any) -> Case:
    return execute(A.REREVIEW_OPINION, case, actor, version=version, **opinion)


def conclude_case(case: Case, actor: User, *, version: int, **kw: Any) -> Case:
    return execute(A.CONCLUDE, case, actor, version=version, **kw)


def merge_case(case: Case, actor: User, *, version: int, target: Case | str, **kw: Any) -> Case:
    return execute(A.MERGE, case, actor, version=version, target=target, **kw)


def withdraw_case(case: Case, actor: User, *, version: int, reason: str, **kw: Any) -> Case:
    return execute(A.WITHDRAW, case, actor, version=version, reason=reason, **kw)


def complete_case(case: Case, *, version: int) -> Case:
    """办结 when the 复查/复核 window lapsed unused: the daily job's action (no user takes it)."""
    return execute(A.COMPLETE, case, None, version=version)


def complete_lapsed_cases() -> int:
    """The daily job: every answered case whose window to ask for the next level has lapsed becomes 办结.

    Candidates come from an indexed filter on the opinions' window ends; the row's guard decides each one,
    so a case whose latest opinion is still inside its window is left alone. Returns how many were closed.
    """
    today = clock.today()
    lapsed = CaseOpinion.objects.filter(case_id=OuterRef("pk"), next_window_end__lt=today)
    candidates = Case.objects.filter(
        Exists(lapsed), status__in=(Status.REPLIED, Status.EVALUATED, Status.REVIEWED)
    ).only("pk", "version")
    closed = 0
    for case in candidates.iterator():
        try:
            complete_case(case, version=case.version)
        except ServiceError:
            continue  # the latest opinion is still within its window, or someone acted meanwhile
        closed += 1
    return closed
