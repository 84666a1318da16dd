"""The admin-only calendar page: coverage by year, the overrides of one year, CSV upload, and marking a
year's schedule complete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from xinfang.orgs.roles import Role

from .forms import ImportForm, MarkYearForm
from .importer import ImportFailed, import_holidays
from .models import MAX_YEAR, MIN_YEAR
from .selectors import coverage, overrides_in, year_marking
from .services import package_covers, set_year_complete


def _selected_year(request: HttpRequest, default: int) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and MIN_YEAR <= int(raw) <= MAX_YEAR else default


def _require_admin(request: HttpRequest) -> None:
    if request.user.role != Role.ADMIN:
        raise PermissionDenied("仅系统管理员可维护节假日")


def _page(year: int, **extra) -> dict:
    today = timezone.localdate()
    return {
        "form": ImportForm(),
        "import_errors": [],
        "mark_form": MarkYearForm(),
        "year": year,
        "year_in_package": package_covers(year),
        "marking": year_marking(year),
        "years": coverage(today.year),
        "overrides": overrides_in(year),
        **extra,
    }


@login_required
def home(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    import_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_holidays(upload.read(), actor=request.user, source=upload.name)
        except ImportFailed as exc:
            import_errors = exc.errors
        else:
            messages.success(request, result.summary())
            return redirect(f"{reverse('calendar:home')}?year={result.years[0]}")
    year = _selected_year(request, timezone.localdate().year)
    context = _page(year, form=form, import_errors=import_errors)
    status = 400 if request.method == "POST" else 200
    return render(request, "calendar/home.html", context, status=status)


@login_required
@require_POST
def mark_year(request: HttpRequest, year: int) -> HttpResponse:
    """Mark (complete=1) or unmark (complete=0) a year's schedule as complete; needs the confirm box."""
    _require_admin(request)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404("年份不正确")
    form = MarkYearForm(request.POST)
    if not form.is_valid():
        return render(request, "calendar/home.html", _page(year, mark_form=form), status=400)
    complete = form.cleaned_data["complete"]
    _row, changed = set_year_complete(
        year, complete, actor=request.user, note=form.cleaned_data["note"] or None, via="page"
    )
    if not changed:
        messages.info(request, f"{year}年已是“{'已完整' if complete else '未完整'}”状态，未作更改")
    elif package_covers(year):
        messages.success(request, f"已更新{year}年的标记；该年由内置日历覆盖，期限计算不受影响")
    elif complete:
        messages.success(request, f"已将{year}年节假日安排标记为已完整，该年期限不再标注为暂定")
    else:
        messages.success(request, f"已撤销{year}年的完整标记，该年期限恢复标注为暂定")
    return redirect(f"{reverse('calendar:home')}?year={year}")
