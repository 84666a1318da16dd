"""Supervision pages: the supervisor's desk, the letters register (units answer theirs), a case's supervision
record, warnings handling. Cases are loaded through cases.permissions (404 out of scope)."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from xinfang.audit.models import AuditEvent
from xinfang.cases.permissions import get_case_for
from xinfang.core import clock
from xinfang.core.errors import ServiceError, ValidationFailed
from xinfang.orgs.models import User
from xinfang.orgs.roles import Role

from . import alerts, letters, selectors
from .documents import letter_docx
from .models import FeedbackStatus, LetterKind, MarkState, MarkStep, RecommendationKind, Warning

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def supervisors_only(view):
    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not selectors.can_supervise(request.user):
            raise Http404("页面不存在")
        return view(request, *args, **kwargs)

    return wrapped


def _errors_message(request: HttpRequest, exc: ServiceError) -> None:
    if isinstance(exc, ValidationFailed):
        for msgs in exc.errors.values():
            for m in msgs:
                messages.error(request, m)
    else:
        messages.error(request, exc.message)


@supervisors_only
def desk(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "supervision/desk.html",
        {
            "by_unit": selectors.marks_by_unit(user),
            "overdue": selectors.marked_cases(user, MarkState.OVERDUE),
            "at_risk": selectors.marked_cases(user, MarkState.AT_RISK),
            "warnings": selectors.open_warnings(user),
            "awaiting": selectors.awaiting_feedback(user),
            "drafts": selectors.drafts(user),
            "kinds": [(k, label) for k, label in LetterKind.choices if k != LetterKind.RECOMMENDATION],
        },
    )


MANUAL_TEXT = {
    LetterKind.REMINDER: "请抓紧办理，按期完成，并于{feedback}前将办理情况书面反馈我局。",
    LetterKind.URGE: "根据《信访工作条例》第四十条，请立即组织办理，并于{feedback}前将办理结果和超期原因书面报告我局。",
    LetterKind.ACCOUNTABILITY: "根据《信访工作条例》第四十条第三款，建议对相关责任人员依规依纪追究责任，"
    "并于{feedback}前将处理情况书面反馈我局。",
}


def manual_text(kind: str, case, unit_name: str) -> str:
    """The default body of a letter issued by hand for a case: its running step, that step's deadline."""
    step = MarkStep(case.current_step).label if case.current_step in MarkStep.values else "办理"
    due = case.due_date or case.handling_due_date
    late = "现已超过期限" if due and due < clock.today() else "请注意期限"
    ask = MANUAL_TEXT.get(kind, MANUAL_TEXT[LetterKind.URGE]).format(
        feedback=letters.feedback_due(clock.today())
    )
    return f"{unit_name}：\n    你单位承办的信访事项（编号{case.number}，{case.title}）{step}期限为{due}，{late}。{ask}"


@supervisors_only
@require_POST
def issue_for_case(request: HttpRequest, case_id: int) -> HttpResponse:
    """One click from the overdue list: a letter of the chosen kind to the case's responsible unit."""
    case = get_case_for(request.user, case_id)
    kind = request.POST.get("kind", LetterKind.URGE)
    reason = request.POST.get("reason", "").strip() or "人工督办：超过办理期限"
    content = request.POST.get("content", "").strip()
    unit = case.responsible_unit
    if not content and unit is not None:
        content = manual_text(kind, case, unit.name)
    try:
        letter = letters.issue_letter(
            actor=request.user, kind=kind, unit=unit, content=content, case=case, reason=reason
        )
    except ServiceError as exc:
        _errors_message(request, exc)
        return redirect("supervision:desk")
    messages.success(request, f"已发出{letter.get_kind_display()}（{letter.number}）")
    return redirect("supervision:letter", letter_id=letter.pk)


@supervisors_only
def new_letter(request: HttpRequest) -> HttpResponse:
    """Any letter or recommendation by hand, with a reason."""
    from xinfang.orgs.models import Organisation, OrgKind

    case = get_case_for(request.user, request.GET["case"]) if request.GET.get("case") else None
    units = Organisation.objects.exclude(
        kind__in=[OrgKind.CITY, OrgKind.PROVINCE, OrgKind.NATIONAL]
    ).order_by("path")
    if request.method == "POST":
        case = get_case_for(request.user, request.POST["case"]) if request.POST.get("case") else None
        unit = units.filter(pk=request.POST.get("unit") or 0).first()
        kind = request.POST.get("kind", "")
        try:
            if not request.POST.get("reason", "").strip():
                raise ValidationFailed({"reason": ["人工发函须填写理由"]})
            letter = letters.issue_letter(
                actor=request.user,
                kind=kind,
                recommendation_kind=request.POST.get("recommendation_kind", ""),
                unit=unit,
                content=request.POST.get("content", ""),
                case=case,
                reason=request.POST.get("reason", ""),
            )
        except ServiceError as exc:
            _errors_message(request, exc)
        else:
            messages.success(request, f"已发出{letter.kind_label}（{letter.number}）")
            return redirect("supervision:letter", letter_id=letter.pk)
    return render(
        request,
        "supervision/new_letter.html",
        {
            "case": case,
            "units": units,
            "kinds": LetterKind.choices,
            "rec_kinds": RecommendationKind.choices,
            "post": request.POST,
        },
    )


@login_required
def letter_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.visible_letters(request.user)
    if not (request.user.is_bureau_role or request.user.is_unit_role):
        raise Http404("页面不存在")
    return render(request, "supervision/letters.html", {"letters": qs.order_by("-issued_on", "-pk")[:300]})


def _letter_for(request: HttpRequest, letter_id: int):
    return get_object_or_404(selectors.visible_letters(request.user), pk=letter_id)


@login_required
def letter_detail(request: HttpRequest, letter_id: int) -> HttpResponse:
    letter = _letter_for(request, letter_id)
    user = request.user
    can_answer = (
        letter.status == FeedbackStatus.OPEN
        and user.is_unit_role
        and user.organisation_id == letter.unit_id
        or (letter.status == FeedbackStatus.OPEN and selectors.can_supervise(user))
    )
    return render(
        request,
        "supervision/letter.html",
        {
            "letter": letter,
            "can_answer": can_answer,
            "can_approve": letter.status == FeedbackStatus.DRAFT and user.role == Role.LEADER,
            "is_recommendation": letter.kind == LetterKind.RECOMMENDATION,
        },
    )


@login_required
def letter_download(request: HttpRequest, letter_id: int) -> HttpResponse:
    letter = _letter_for(request, letter_id)
    name, data = letter_docx(letter)
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@login_required
@require_POST
def letter_feedback(request: HttpRequest, letter_id: int) -> HttpResponse:
    letter = _letter_for(request, letter_id)
    user = request.user
    if not (user.organisation_id == letter.unit_id or selectors.can_supervise(user)):
        raise Http404("页面不存在")
    adopted = {"yes": True, "no": False}.get(request.POST.get("adopted", ""))
    try:
        letters.record_feedback(letter, actor=user, text=request.POST.get("feedback", ""), adopted=adopted)
    except ServiceError as exc:
        _errors_message(request, exc)
    else:
        messages.success(request, "书面反馈已提交")
    return redirect("supervision:letter", letter_id=letter.pk)


@login_required
@require_POST
def letter_decide(request: HttpRequest, letter_id: int) -> HttpResponse:
    letter = _letter_for(request, letter_id)
    if request.user.role != Role.LEADER:
        raise Http404("页面不存在")
    approve = request.POST.get("decision") == "approve"
    try:
        letters.decide_draft(letter, actor=request.user, approve=approve, note=request.POST.get("note", ""))
    except ServiceError as exc:
        _errors_message(request, exc)
    else:
        messages.success(request, "已批准发出" if approve else "已退回，不予发出")
    return redirect("supervision:letter", letter_id=letter.pk)


@login_required
def case_record(request: HttpRequest, case_id: int) -> HttpResponse:
    """A case's supervision record: its letters register, warnings and the audit entries of its letters."""
    case = get_case_for(request.user, case_id)
    case_letters = selectors.visible_letters(request.user).filter(case=case).order_by("issued_on", "pk")
    trail = AuditEvent.objects.filter(
        object_type="supervision.letter", object_id__in=[str(x.pk) for x in case_letters]
    ).order_by("pk")
    return render(
        request,
        "supervision/case.html",
        {
            "case": case,
            "letters": case_letters,
            "warnings": selectors.visible_warnings(request.user).filter(cases=case),
            "trail": trail,
        },
    )


@supervisors_only
def warning_detail(request: HttpRequest, warning_id: int) -> HttpResponse:
    warning = get_object_or_404(selectors.visible_warnings(request.user), pk=warning_id)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "acknowledge":
                alerts.acknowledge_warning(warning, actor=request.user)
            elif action == "assign":
                assignee = User.objects.filter(pk=request.POST.get("assignee") or 0, is_active=True).first()
                alerts.assign_warning(warning, actor=request.user, assignee=assignee)
            elif action == "close":
                alerts.close_warning(warning, actor=request.user, note=request.POST.get("note", ""))
        except ServiceError as exc:
            _errors_message(request, exc)
        return redirect("supervision:warning", warning_id=warning.pk)
    cases = get_visible_cases(request.user, warning)
    staff = User.objects.filter(role__in=[Role.SUPERVISOR, Role.LEADER], is_active=True).order_by("username")
    return render(request, "supervision/warning.html", {"warning": warning, "cases": cases, "staff": staff})


def get_visible_cases(user, warning: Warning):
    from xinfang.cases.permissions import visible_cases

    return visible_cases(user, warning.cases.all()).order_by("pk")
