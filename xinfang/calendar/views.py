"""The admin-only calendar page: coverage by year, the overrides of one year, CSV upload."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from xinfang.orgs.roles import Role

from .forms import ImportForm
from .importer import ImportFailed, import_holidays
from .selectors import coverage, overrides_in
from .services import package_covers
from .years import mark_year


def _selected_year(request: HttpRequest, default: int) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 1900 <= int(raw) <= 2999 else default


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if request.user.role != Role.ADMIN:
        raise PermissionDenied("仅系统管理员可维护节假日")
    if request.method == "POST" and "mark_year" in request.POST:
        return _mark_year(request)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    import_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_holidays(
                upload.read(), actor=request.user, source=upload.name, complete=form.cleaned_data["complete"]
            )
        except ImportFailed as exc:
            import_errors = exc.errors
        else:
            messages.success(request, result.summary())
            return redirect(f"{reverse('calendar:home')}?year={result.years[0]}")
    today = timezone.localdate()
    year = _selected_year(request, today.year)
    context = {
        "form": form,
        "import_errors": import_errors,
        "year": year,
        "year_in_package": package_covers(year),
        "years": coverage(today.year),
        "overrides": overrides_in(year),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "calendar/home.html", context, status=status)


def _mark_year(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("mark_year", "")
    if not (raw.isdigit() and 1900 <= int(raw) <= 2999):
        messages.error(request, "年份无效")
        return redirect("calendar:home")
    complete = request.POST.get("complete") == "1"
    mark_year(int(raw), complete=complete, actor=request.user)
    state = "已确认全年安排完整录入，该年份期限不再为暂定" if complete else "已取消确认，该年份期限恢复为暂定"
    messages.success(request, f"{raw}年：{state}")
    return redirect(f"{reverse('calendar:home')}?year={raw}")
