"""Staff pages for receptions (booking by staff, reception records), the 积案 list and the dispute ledger."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from xinfang.cases.models import Category
from xinfang.cases.permissions import get_case_for, visible_cases
from xinfang.cases.validation import PetitionerInput
from xinfang.core import clock
from xinfang.core.errors import ServiceError
from xinfang.orgs.models import Organisation, OrgKind, User
from xinfang.orgs.roles import Role

from . import ledgers, receptions, selectors
from .models import BacklogItem, BookingSource, Dispute, ReceptionBooking, ReceptionSlot, RiskLevel
from .views import _errors_message, supervisors_only


def bureau_staff(view):
    """Supervisors, leaders, admins and registrars (who register the cases a reception or dispute becomes)."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not (selectors.can_supervise(request.user) or request.user.role == Role.REGISTRAR):
            raise Http404("页面不存在")
        return view(request, *args, **kwargs)

    return wrapped


def _leaders():
    return User.objects.filter(role=Role.LEADER, is_active=True).order_by("username")


@bureau_staff
def reception_desk(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        p = request.POST
        try:
            if p.get("action") == "book":
                receptions.book(
                    int(p["slot"]),
                    name=p.get("name", ""),
                    id_number=p.get("id_number", ""),
                    phone=p.get("phone", ""),
                    matter=p.get("matter", ""),
                    source=BookingSource.STAFF,
                    actor=request.user,
                )
                messages.success(request, "已登记预约")
            elif p.get("action") == "record":
                booking = get_object_or_404(ReceptionBooking, pk=p.get("booking"))
                case = get_case_for(request.user, p["case"]) if p.get("case") else None
                category = Category.objects.filter(pk=p.get("category") or 0).first()
                receptions.record_reception(
                    actor=request.user,
                    summary=p.get("summary", ""),
                    booking=booking,
                    case=case,
                    register=p.get("register") == "1",
                    category=category,
                )
                messages.success(request, "已记录接访情况")
        except ServiceError as exc:
            _errors_message(request, exc)
        return redirect("supervision:receptions")
    slots = (
        ReceptionSlot.objects.filter(day__gte=clock.today())
        .select_related("leader")
        .prefetch_related("bookings", "bookings__record")
        .order_by("day", "start")[:30]
    )
    categories = Category.objects.filter(parent__isnull=False).order_by("code")
    linked = [b.record.case_id for slot in slots for b in slot.bookings.all() if hasattr(b, "record")]
    context = {"slots": slots, "categories": categories, "seen": _seen(request.user, linked)}
    return render(request, "supervision/receptions.html", context)


def _seen(user, case_ids) -> set[int]:
    """Of the cases a ledger row links to, those the user may open (only those are named on the page)."""
    ids = {pk for pk in case_ids if pk}
    return set(visible_cases(user).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()


@supervisors_only
def backlog(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        p = request.POST
        try:
            if p.get("action") == "add":
                case = get_case_for(request.user, p.get("case"))
                leader = _leaders().filter(pk=p.get("leader") or 0).first()
                if leader is None:
                    raise ServiceError("请选择包案领导")
                ledgers.add_backlog(case=case, leader=leader, actor=request.user, plan=p.get("plan", ""))
            else:
                item = get_object_or_404(
                    BacklogItem, pk=p.get("item"), case__in=visible_cases(request.user).values("pk")
                )
                if p.get("action") == "note":
                    ledgers.add_progress(item, actor=request.user, text=p.get("text", ""))
                elif p.get("action") == "resolve":
                    ledgers.resolve_backlog(item, actor=request.user, result=p.get("result", ""))
        except ServiceError as exc:
            _errors_message(request, exc)
        return redirect("supervision:backlog")
    seen = visible_cases(request.user).values("pk")
    items = (
        BacklogItem.objects.filter(case__in=seen).select_related("case", "leader").prefetch_related("notes")
    )
    listed = items.values("case_id")
    context = {
        "items": items,
        "candidates": visible_cases(request.user, ledgers.backlog_candidates()).exclude(pk__in=listed)[:50],
        "leaders": _leaders(),
    }
    return render(request, "supervision/backlog.html", context)


@bureau_staff
def disputes(request: HttpRequest) -> HttpResponse:
    places = Organisation.objects.filter(kind__in=[OrgKind.TOWN, OrgKind.VILLAGE, OrgKind.GRID]).order_by(
        "path"
    )
    if request.method == "POST":
        p = request.POST
        try:
            if p.get("action") == "add":
                grid = places.filter(pk=p.get("grid") or 0).first()
                if grid is None or not p.get("title", "").strip():
                    raise ServiceError("请选择网格或街镇并填写纠纷事项")
                Dispute.objects.create(
                    grid=grid,
                    title=p["title"].strip(),
                    description=p.get("description", "").strip(),
                    risk_level=p.get("risk_level") or RiskLevel.LOW,
                    owner=p.get("owner", "").strip(),
                    found_on=clock.today(),
                )
            elif p.get("action") == "convert":
                dispute = get_object_or_404(Dispute, pk=p.get("dispute"))
                category = Category.objects.filter(pk=p.get("category") or 0).first()
                if category is None:
                    raise ServiceError("请选择内容分类")
                person = PetitionerInput(name=p.get("name", "").strip(), phone=p.get("phone", "").strip())
                case = ledgers.convert_dispute(
                    dispute, actor=request.user, category=category, petitioner=person
                )
                messages.success(request, f"已登记为信访事项 {case.number}")
        except ServiceError as exc:
            _errors_message(request, exc)
        return redirect("supervision:disputes")
    rows = list(Dispute.objects.select_related("grid", "case").order_by("grid__path", "-found_on"))
    context = {
        "rows": rows,
        "seen": _seen(request.user, [d.case_id for d in rows]),
        "places": places,
        "risks": RiskLevel.choices,
        "categories": Category.objects.filter(parent__isnull=False).order_by("code"),
    }
    return render(request, "supervision/disputes.html", context)
