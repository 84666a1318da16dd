"""Reads for the pages and the API, each scoped by who asks (cases through cases.permissions)."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from xinfang.cases.permissions import visible_cases
from xinfang.orgs.roles import Role

from .models import DeadlineMark, FeedbackStatus, Letter, MarkState, Warning, WarningStatus

SUPERVISING_ROLES = frozenset({Role.SUPERVISOR, Role.LEADER, Role.ADMIN})


def can_supervise(user) -> bool:
    return user.is_authenticated and user.role in SUPERVISING_ROLES


def visible_letters(user) -> QuerySet[Letter]:
    """Bureau roles: every letter whose case (if any) they may see; unit roles: the letters addressed to their
    own unit; everyone else: none."""
    qs = Letter.objects.select_related("unit", "case")
    if not user.is_authenticated:
        return qs.none()
    if user.is_bureau_role:
        return qs.filter(Q(case__isnull=True) | Q(case__in=visible_cases(user).values("pk")))
    if user.is_unit_role and user.organisation_id:
        # Addressed to the unit, and about a case this user may open (a confidential case's letter reaches
        # only its officers; an accused unit never sees one).
        mine = qs.filter(unit_id=user.organisation_id).exclude(status=FeedbackStatus.DRAFT)
        return mine.filter(Q(case__isnull=True) | Q(case__in=visible_cases(user).values("pk")))
    return qs.none()


def visible_warnings(user) -> QuerySet[Warning]:
    if not user.is_authenticated or not (user.is_bureau_role or user.is_unit_role):
        return Warning.objects.none()
    seen = visible_cases(user).filter(pk=OuterRef("case_id"))
    through = Warning.cases.through.objects.filter(warning_id=OuterRef("pk")).filter(Exists(seen))
    return Warning.objects.filter(Exists(through))


def warning_case_ids(user, warning: Warning) -> list[int]:
    return list(visible_cases(user, warning.cases.all()).order_by("pk").values_list("pk", flat=True))


def marks_by_unit(user) -> list[dict]:
    """Overdue and at-risk counts per unit (one grouped query)."""
    qs = DeadlineMark.objects.filter(case__in=visible_cases(user).values("pk"))
    return list(
        qs.values("unit__name")
        .annotate(
            overdue=Count("pk", filter=Q(state=MarkState.OVERDUE)),
            at_risk=Count("pk", filter=Q(state=MarkState.AT_RISK)),
        )
        .order_by("-overdue", "-at_risk", "unit__name")
    )


def marked_cases(user, state: str, limit: int = 200) -> QuerySet[DeadlineMark]:
    return (
        DeadlineMark.objects.filter(state=state, case__in=visible_cases(user).values("pk"))
        .select_related("case", "unit")
        .order_by("due_date", "case_id")[:limit]
    )


def open_warnings(user, limit: int = 100) -> QuerySet[Warning]:
    return visible_warnings(user).exclude(status=WarningStatus.CLOSED).order_by("-raised_on", "-pk")[:limit]


def awaiting_feedback(user, limit: int = 200) -> QuerySet[Letter]:
    return visible_letters(user).filter(status=FeedbackStatus.OPEN).order_by("feedback_due", "pk")[:limit]


def drafts(user) -> QuerySet[Letter]:
    return visible_letters(user).filter(status=FeedbackStatus.DRAFT).order_by("issued_on", "pk")
