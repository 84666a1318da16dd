"""Reads the workflow needs about a case's history (the latest request, opinion, routing, event)."""

from __future__ import annotations

from ..models import Case, CaseEvent
from .codes import ActionCode
from .records import CaseOpinion, ReviewRequest


def current_review_request(case: Case) -> ReviewRequest | None:
    return case.review_requests.order_by("-id").first() if case.pk else None


def latest_opinion(case: Case, kind: str) -> CaseOpinion | None:
    return case.opinions.filter(kind=kind).order_by("-id").first() if case.pk else None


def assignment_data(case: Case) -> dict | None:
    """The data of the 交办 event when the case's latest routing was an assignment (not a forward)."""
    if not case.pk:
        return None
    ev = (
        CaseEvent.objects.of(case)
        .filter(action__in=(ActionCode.FORWARD, ActionCode.ASSIGN))
        .order_by("-at", "-id")
        .only("action", "data")
        .first()
    )
    return ev.data if ev is not None and ev.action == ActionCode.ASSIGN else None
