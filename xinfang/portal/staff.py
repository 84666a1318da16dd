"""Staff pages of the portal: an evaluation taken by phone (registrars), 申诉核减 (units ask, the bureau
decides). Cases are loaded through `get_case_for`, so a case outside the user's scope is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from xinfang.cases.permissions import can_register, get_case_for, visible_cases
from xinfang.core.errors import ServiceError

from . import exemptions
from .models import Evaluation, EvaluationChannel, EvaluationExemption, ExemptionStatus
from .services import submit_evaluation


@login_required
@require_POST
def record_phone_evaluation(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_case_for(request.user, case_id)
    if not can_register(request.user):
        raise PermissionDenied("只有登记员可以录入电话回访评价")
    channel = request.POST.get("channel", EvaluationChannel.PHONE)
    try:
        submit_evaluation(
            case,
            request.POST.get("result", ""),
            request.POST.get("comment", ""),
            actor=request.user,
            stage=request.POST.get("stage", "result"),
            channel=channel if channel in (EvaluationChannel.PHONE, EvaluationChannel.SITE) else "phone",
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "评价已录入")
    return redirect("cases:detail", case_id=case.pk)


def _evaluation_for(user, evaluation_id: int) -> Evaluation:
    return get_object_or_404(
        Evaluation.objects.select_related("case"), pk=evaluation_id, case__in=visible_cases(user)
    )


@login_required
@require_POST
def request_exemption(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    evaluation = _evaluation_for(request.user, evaluation_id)
    try:
        exemptions.request_exemption(
            actor=request.user, evaluation=evaluation, reason=request.POST.get("reason", "")
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "核减申请已提交，等待信访局审核")
    return redirect("cases:detail", case_id=evaluation.case_id)


@login_required
def exemption_list(request: HttpRequest) -> HttpResponse:
    if not exemptions.can_decide(request.user):
        raise PermissionDenied("只有信访局可以审核核减申请")
    rows = (
        EvaluationExemption.objects.filter(evaluation__case__in=visible_cases(request.user))
        .select_related("evaluation__case", "requested_by", "decided_by")
        .order_by("status", "-requested_at")[:200]
    )
    return render(request, "portal/staff/exemptions.html", {"rows": rows, "pending": ExemptionStatus.PENDING})


@login_required
@require_POST
def decide_exemption(request: HttpRequest, exemption_id: int) -> HttpResponse:
    row = get_object_or_404(
        EvaluationExemption.objects.select_related("evaluation__case"),
        pk=exemption_id,
        evaluation__case__in=visible_cases(request.user),
    )
    try:
        exemptions.decide_exemption(
            actor=request.user,
            exemption=row,
            approve=request.POST.get("decision") == "approve",
            note=request.POST.get("note", ""),
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("portal:exemptions")
