"""The statistics pages: the dashboard, the cases behind a figure, and the .xlsx/.docx downloads."""

from __future__ import annotations

import tempfile
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from xinfang.audit.services import record
from xinfang.cases.forms import CaseFilterForm
from xinfang.cases.permissions import visible_cases
from xinfang.cases.selectors import filtered_cases, list_page
from xinfang.core import clock
from xinfang.core.errors import ServiceError, ValidationFailed

from . import charts, exports, report
from .drill import UnknownFigure, cases_behind
from .params import allowed_scope, can_view_stats, parse_query
from .periods import default_period, quick_periods
from .ranking import DEFAULT_MIN_VOLUME, unit_ranking, worst_units
from .rollup_summary import shared_reads
from .sources import ROLLUPS
from .stats import LABELS, StatsQuery, compute_stats
from .tables import FIGURE_ORDER, PERCENT_KEYS, display_value

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _query(request: HttpRequest) -> tuple[StatsQuery | None, dict]:
    """The query the page asks for (the default period when none), narrowed to what the user may see."""
    if not can_view_stats(request.user):
        raise Http404("无权查看统计分析")
    start, end = default_period(clock.today())
    raw_from = request.GET.get("from") or start.isoformat()
    raw_to = request.GET.get("to") or end.isoformat()
    try:
        query = parse_query(raw_from, raw_to, request.GET.get("unit"), request.GET.get("category"))
        return allowed_scope(request.user, query), {}
    except ValidationFailed as exc:
        return None, exc.errors
    except ServiceError as exc:
        raise Http404(exc.message) from exc


def _min_volume(request: HttpRequest) -> int:
    try:
        return max(0, int(request.GET.get("min_volume", DEFAULT_MIN_VOLUME)))
    except ValueError:
        return DEFAULT_MIN_VOLUME


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    query, errors = _query(request)
    context = {
        "errors": errors,
        "raw": {k: request.GET.get(k, "") for k in ("from", "to", "unit", "category")},
        "quick": [(label, urlencode({"from": s, "to": e})) for label, s, e in quick_periods(clock.today())],
        "min_volume": _min_volume(request),
    }
    if query is not None:
        query = query.using(ROLLUPS)  # the dashboard reads the cohort rollups only
        with shared_reads():  # the figures and the ranking: one read of each cohort kind
            stats = compute_stats(query)
            ranked, aside = unit_ranking(query, context["min_volume"])
        context.update(
            query=query,
            params=urlencode(query.params()),
            stats=stats,
            figures=[_figure(key, stats[key]) for key in FIGURE_ORDER],
            trend=charts.column_chart(stats["by_month"]["value"], "按月登记量"),
            channel_chart=charts.bar_chart(stats["by_channel"]["value"], "信访形式构成"),
            nature_chart=charts.bar_chart(stats["by_nature"]["value"], "信访目的构成"),
            category_chart=charts.bar_chart(stats["by_category"]["value"], "内容分类构成"),
            place_chart=charts.bar_chart(stats["by_place"]["value"], "问题属地（镇街）分布", limit=20),
            ranked=ranked,
            aside=aside,
            worst=worst_units(ranked),
        )
        context["raw"].update({"from": query.start.isoformat(), "to": query.end.isoformat()})
    return render(request, "analytics/dashboard.html", context)


def _figure(key: str, figure: dict) -> dict:
    return {
        "key": key,
        "label": figure["label"],
        "shown": display_value(key, figure["value"]),
        "is_rate": key in PERCENT_KEYS or key == "average_handling_days",
        "numerator": figure.get("numerator"),
        "denominator": figure.get("denominator"),
        "slices": [
            (part_label(part), figure["breakdown"].get(part, ""), url)
            for part, url in figure.get("parts", {}).items()
        ],
        "drill": figure.get("denominator_drill") or figure.get("drill"),
        "cases_url": figure.get("cases_url"),
    }


PART_LABELS = {
    "all": "全部", "total": "统计口径内全部", "timely": "及时受理", "late": "超期", "overdue_unhandled": "超期未受理",
    "not_due": "未到期未受理", "in_time": "按期", "on_time": "按期办结", "open_not_due": "未办结未超期",
    "open_overdue": "超期未办结", "excluded_direct": "直接向单位提出（不计入）", "excluded_merged": "受理前合并或撤回（不计入）",
    "excluded_withdrawn": "撤回（不计入）", "excluded_diverted": "转入其他法定途径（不计入）", "evaluated": "已评价",
    "exempt": "申诉核减（不计入满意率）",
    "expired": "超期未评价", "satisfied": "满意", "basically": "基本满意", "unsatisfied": "不满意", "repeats": "重件",
    "first": "初件", "collective": "集体访", "level_skipping": "越级访", "to_beijing": "进京访", "suggestion": "人民建议",
    "adopted": "采纳", "partly_adopted": "部分采纳", "not_adopted": "不采纳", "suggestion_pending": "尚未答复",
}  # fmt: skip


def part_label(part: str) -> str:
    if ":" in part:
        dim, value = part.split(":", 1)
        names = {"channel": "信访形式", "nature": "信访目的", "category": "内容分类", "unit": "责任单位",
                 "place": "问题属地", "month": "月份"}  # fmt: skip
        return f"{names.get(dim, dim)} {value}"
    return PART_LABELS.get(part, part)


@login_required
def figure_cases(request: HttpRequest) -> HttpResponse:
    """The cases behind one figure (metric + part), limited to the cases the user may see."""
    query, errors = _query(request)
    key, part = request.GET.get("metric", ""), request.GET.get("part", "")
    if query is None or not key or key not in LABELS:
        raise Http404("统计口径不存在")
    try:
        qs = cases_behind(key, part, query.start, query.end, query.scope, query.now)
    except (UnknownFigure, ValueError) as exc:
        raise Http404("统计口径不存在") from exc
    context = {
        **list_page(visible_cases(request.user, qs), request.GET),
        "title": f"{LABELS[key]} · {part_label(part)}",
        "stats_query": query,
        "back": urlencode(query.params()),
    }
    return render(request, "analytics/figure_cases.html", context)


@login_required
def stats_xlsx(request: HttpRequest) -> FileResponse:
    """The dashboard's figures and tables as .xlsx (same parameters as the page)."""
    query, errors = _query(request)
    if query is None:
        raise Http404("；".join(m for msgs in errors.values() for m in msgs))
    stats = compute_stats(query)
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    exports.write_stats(stats, out)
    out.seek(0)
    record("analytics.export_stats", actor=request.user, object_type="analytics.stats", after=query.params())
    return FileResponse(
        out, as_attachment=True, filename=exports.filename("统计表"), content_type=exports.XLSX
    )


@login_required
def cases_xlsx(request: HttpRequest) -> FileResponse:
    """/cases/export.xlsx?<the case list's filters>: every matching case the user may see, no row cap."""
    form = CaseFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        raise Http404("筛选条件不正确")
    params = form.cleaned_data if form.is_bound else {}
    out, n = exports.cases_file(filtered_cases(request.user, params))
    shown = {k: str(v) for k, v in params.items() if v not in (None, "", False)}
    record("cases.export", actor=request.user, object_type="cases.case", after={"filters": shown, "rows": n})
    return FileResponse(
        out, as_attachment=True, filename=exports.filename("信访事项"), content_type=exports.XLSX
    )


@login_required
def monthly_report(request: HttpRequest) -> FileResponse:
    """信访形势研判报告 of ?month=YYYY-MM (and ?unit=, narrowed like the dashboard) as .docx."""
    if not can_view_stats(request.user):
        raise Http404("无权查看统计分析")
    try:
        first = report.parse_month(request.GET.get("month", ""))
        query = allowed_scope(
            request.user, parse_query(first.isoformat(), first.isoformat(), request.GET.get("unit"))
        )
    except (ValueError, ServiceError) as exc:
        raise Http404(str(exc)) from exc
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    signer = request.user.organisation.name if request.user.organisation else ""
    report.build(first, query.scope, out, signer=signer)
    out.seek(0)
    record("analytics.monthly_report", actor=request.user, object_type="analytics.report",
           after={"month": f"{first:%Y-%m}", **query.params()})  # fmt: skip
    return FileResponse(out, as_attachment=True, filename=report.filename(first), content_type=DOCX)
