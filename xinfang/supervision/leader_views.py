"""A leader's page (包案, receptions, warnings, 积案) and the district view of each leader's cases."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from xinfang.cases.choices import CLOSED_STATUSES
from xinfang.cases.permissions import visible_cases
from xinfang.core import clock
from xinfang.orgs.roles import Role

from . import ledgers, selectors
from .models import BacklogItem, CaseOwnership, ReceptionSlot, WatchItem


@login_required
def leader_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role != Role.LEADER:
        raise Http404("页面不存在")
    seen = visible_cases(user).values("pk")
    owned = (
        CaseOwnership.objects.filter(leader=user, is_active=True, case__in=seen)
        .select_related("case", "case__responsible_unit")
        .order_by("case__handling_due_date")
    )
    slots = (
        ReceptionSlot.objects.filter(leader=user, day__gte=clock.today())
        .prefetch_related("bookings")
        .order_by("day", "start")[:10]
    )
    context = {
        "owned": owned,
        "slots": slots,
        "warnings": selectors.visible_warnings(user).filter(assignee=user).exclude(status="closed"),
        "backlog": BacklogItem.objects.filter(leader=user, case__in=seen).select_related("case"),
        "candidates": visible_cases(user, ledgers.backlog_candidates())[:20],
        "watch": WatchItem.objects.filter(leader=user, is_active=True),
        "drafts": selectors.drafts(user),
    }
    return render(request, "supervision/leader.html", context)


@login_required
def district_leaders(request: HttpRequest) -> HttpResponse:
    """Each leader's 包案 cases and their state (open, overdue, closed)."""
    if not selectors.can_supervise(request.user):
        raise Http404("页面不存在")
    today = clock.today()
    rows = (
        CaseOwnership.objects.filter(is_active=True, case__in=visible_cases(request.user).values("pk"))
        .values("leader__display_name", "leader__username")
        .annotate(
            total=Count("pk"),
            closed=Count("pk", filter=Q(case__status__in=sorted(CLOSED_STATUSES))),
            overdue=Count(
                "pk",
                filter=Q(case__due_date__lt=today) & ~Q(case__status__in=sorted(CLOSED_STATUSES)),
            ),
        )
        .order_by("leader__username")
    )
    return render(request, "supervision/leaders.html", {"rows": rows})
