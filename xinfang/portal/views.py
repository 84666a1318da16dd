"""Public pages under /portal/: no login, Simplified Chinese, phone first. Tracking posts the code and the
phone digits (never in the URL), so they stay out of logs and browser history."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST

from xinfang.core.errors import ServiceError, ValidationFailed

from . import bookings, public, throttle, tracking
from .forms import BookingForm, EvaluationForm, LookupForm, ReviewForm, SubmissionForm


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


def _field_errors(form, exc: ValidationFailed) -> None:
    for key, messages in exc.errors.items():
        name = key if key in form.fields else None
        for message in messages:
            form.add_error(name, message)


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, suggestion: bool = False) -> HttpResponse:
    form = SubmissionForm(request.POST or None, request.FILES or None, suggestion=suggestion)
    template = "portal/suggest.html" if suggestion else "portal/submit.html"
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v is not None}
        for key in ("accused_organisation", "category"):
            if data.get(key) is not None:
                data[key] = data[key].pk
        data["nature"] = "suggestion" if suggestion else data.get("nature", "appeal")
        try:
            _case, code = public.submit(
                public.Submission(**data, attachments=request.FILES.getlist("attachments")),
                address=throttle.client_address(request),
            )
        except throttle.Throttled:
            form.add_error(None, throttle.MESSAGE)
            return render(request, template, {"form": form}, status=429)
        except ValidationFailed as exc:
            _field_errors(form, exc)
        else:
            return render(request, "portal/submitted.html", {"code": code, "suggestion": suggestion})
    return render(request, template, {"form": form})


def _status_page(request: HttpRequest, case, code: str, phone4: str, **extra) -> HttpResponse:
    context = {"view": tracking.public_view(case), "code": code, "phone4": phone4, **extra}
    return render(request, "portal/status.html", context)


def _lookup(request: HttpRequest, form) -> tuple:
    """(case, None) or (None, response with the form and the same message for any miss)."""
    try:
        case = public.lookup(
            form.cleaned_data["code"], form.cleaned_data["phone4"], address=throttle.client_address(request)
        )
    except throttle.Throttled:
        return None, render(
            request, "portal/track.html", {"form": form, "error": throttle.MESSAGE}, status=429
        )
    except ServiceError as exc:
        return None, render(request, "portal/track.html", {"form": form, "error": exc.message}, status=404)
    return case, None


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case, refused = _lookup(request, form)
        if refused:
            return refused
        return _status_page(request, case, form.cleaned_data["code"], form.cleaned_data["phone4"])
    return render(request, "portal/track.html", {"form": form})


@require_POST
def evaluate(request: HttpRequest) -> HttpResponse:
    form = EvaluationForm(request.POST)
    if not form.is_valid():
        return render(
            request, "portal/track.html", {"form": LookupForm(request.POST), "error": "请选择评价结果"}
        )
    case, refused = _lookup(request, form)
    if refused:
        return refused
    data = form.cleaned_data
    try:
        outcome = tracking.evaluate(case, result=data["result"], comment=data["comment"], stage=data["stage"])
    except ServiceError as exc:
        return _status_page(request, case, data["code"], data["phone4"], error=exc.message)
    return _status_page(request, case, data["code"], data["phone4"], evaluated=outcome)


@require_POST
def review(request: HttpRequest) -> HttpResponse:
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return render(
            request, "portal/track.html", {"form": LookupForm(request.POST), "error": "请填写复查理由"}
        )
    case, refused = _lookup(request, form)
    if refused:
        return refused
    data = form.cleaned_data
    try:
        tracking.request_review(case, reason=data["reason"], address=throttle.client_address(request))
    except ServiceError as exc:
        return _status_page(request, case, data["code"], data["phone4"], error=exc.message)
    return _status_page(
        request, case, data["code"], data["phone4"], notice="复查申请已提交，信访局将登记办理。"
    )


def receptions(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/receptions.html", {"slots": bookings.open_slots()})


@require_http_methods(["GET", "POST"])
def book_reception(request: HttpRequest, slot_id: int) -> HttpResponse:
    slot = bookings.open_slot(slot_id)
    if slot is None:
        context = {"slots": bookings.open_slots(), "error": "该场次已约满或已结束，请选择其他场次"}
        return render(request, "portal/receptions.html", context, status=404)
    form = BookingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            booking = bookings.book(slot_id, **form.cleaned_data, address=throttle.client_address(request))
        except throttle.Throttled:
            form.add_error(None, throttle.MESSAGE)
            return render(request, "portal/book.html", {"form": form, "slot": slot}, status=429)
        except ValidationFailed as exc:
            _field_errors(form, exc)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            context = {"slot": slot, "booking": booking, "message": bookings.BOOKED_MESSAGE}
            return render(request, "portal/booked.html", context)
    return render(request, "portal/book.html", {"form": form, "slot": slot})
