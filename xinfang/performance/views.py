"""Pages for the finance role (财务/绩效): years, budget lines, imports, monitoring, evaluation, reports."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from xinfang.core import jsoninput

from . import importers, ledgers, monitoring
from .access import perf_edit, perf_view
from .editing import StaleEdit
from .exchange import ExchangeError, dump
from .forms import version_of
from .labels import SEVERITY_LABELS, finding_label, target_text
from .library import add_starter_indicators, misplaced
from .models import BudgetLine, Evaluation, FiscalYear, ReportJob
from .money import wan
from .reports import report_filename, run_job
from .results import as_json, run
from .selectors import line_totals, sum_totals, to_exchange
from .services import NARRATIVE_KEYS, import_evaluation, save_narrative

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@perf_view
def home(request):
    if request.method == "POST":
        try:
            year = int(request.POST.get("year", ""))
            if not 2000 <= year <= 2100:
                raise ValueError
        except ValueError:
            return render(request, "performance/home.html",
                          {"years": FiscalYear.objects.all(), "error": "年度应为 2000–2100 之间的整数"}, status=400)  # fmt: skip
        FiscalYear.objects.get_or_create(year=year, defaults={"organisation": request.user.organisation})
        return redirect("performance:year", year=year)
    return render(request, "performance/home.html", {"years": FiscalYear.objects.all()})


@perf_view
def year_detail(request, year):
    fy = get_object_or_404(FiscalYear, year=year)
    lines = BudgetLine.objects.filter(year=fy).select_related("project").order_by("code")
    per_line = line_totals(lines, date(year, 12, 31))
    totals = sum_totals(per_line.values())
    rows = [(line, wan(line.initial_amount), wan(per_line[line.pk].full_year)) for line in lines]
    context = {
        "fy": fy, "rows": rows, "evaluations": fy.evaluations.select_related("project"),
        "totals": {"initial": wan(totals.initial), "full_year": wan(totals.full_year), "executed": wan(totals.executed)},
        "import_kinds": importers.TITLES, "batches": fy.imports.all()[:10],
        "open_projects": fy.projects.exclude(evaluation__isnull=False).order_by("code"),
        "has_department": fy.evaluations.filter(project__isnull=True).exists(),
    }  # fmt: skip
    return render(request, "performance/year.html", context)


@perf_edit
def import_view(request, year, kind):
    fy = get_object_or_404(FiscalYear, year=year)
    if kind not in importers.COLUMNS:
        raise PermissionDenied("未知的导入类型")
    context = {"fy": fy, "kind": kind, "title": importers.TITLES[kind], "columns": importers.COLUMNS[kind]}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["errors"] = ["请选择要导入的 .xlsx 文件"]
        else:
            try:
                context["outcome"] = importers.import_xlsx(
                    kind, fy, upload.read(), actor=request.user, filename=upload.name
                )
            except importers.ImportRejected as exc:
                context["errors"] = exc.errors
        status = 400 if context.get("errors") else 200
        return render(request, "performance/import.html", context, status=status)
    return render(request, "performance/import.html", context)


@perf_view
def import_template(request, kind):
    if kind not in importers.COLUMNS:
        raise PermissionDenied("未知的导入类型")
    return _attachment(importers.template(kind), f"{importers.TITLES[kind]}导入模板.xlsx", XLSX)


def _as_of(request, fy) -> tuple[date, str, str]:
    mode = "day" if request.GET.get("mode") == "day" else "month"
    default = min(timezone.localdate(), date(fy.year, 12, 31))
    try:
        as_of = date.fromisoformat(request.GET.get("as_of", ""))
        error = "" if as_of.year == fy.year else f"监控日期须在{fy.year}年度内"
    except ValueError:
        as_of, error = default, ""
    return (default if error else as_of), mode, error


@perf_view
def monitoring_view(request, year):
    fy = get_object_or_404(FiscalYear, year=year)
    as_of, mode, error = _as_of(request, fy)
    rows = monitoring.monitor(fy, as_of, mode)
    if request.GET.get("export") == "xlsx":
        return _attachment(
            monitoring.export_xlsx(rows, as_of), f"{fy.year}年预算执行监控{as_of:%m%d}.xlsx", XLSX
        )
    indicators = []
    for ev in fy.evaluations.prefetch_related("indicators"):
        for ind in ev.indicators.all():
            if ind.mid_year_progress:
                indicators.append((ev, ind, monitoring.indicator_progress(ind, as_of, mode)))
    context = {"fy": fy, "rows": rows, "as_of": as_of, "mode": mode, "error": error, "indicators": indicators}
    return render(request, "performance/monitoring.html", context)


@perf_view
def evaluation_detail(request, pk):
    evaluation = get_object_or_404(Evaluation.objects.select_related("year", "project"), pk=pk)
    posted, error = None, ""
    if request.method == "POST":
        posted = {k: request.POST.get(k, "") for k in NARRATIVE_KEYS}
        try:
            save_narrative(evaluation, posted, actor=request.user, version=version_of(request.POST) or 0)
            return redirect("performance:evaluation", pk=pk)
        except StaleEdit as exc:
            error = exc.message
            evaluation.refresh_from_db()
    ev = to_exchange(evaluation)
    result, findings = run(ev)
    scored = as_json(ev, result, findings)
    shown = posted or evaluation.narrative
    narrative = [(k, label, shown.get(k, "")) for k, label in NARRATIVE_KEYS.items()]
    pks = list(evaluation.indicators.values_list("pk", flat=True))
    for i in scored["indicators"]:
        i["target_text"] = target_text(i["operator"], i["target"], i["unit"])
    rows = [(pk, i) for pk, i in zip(pks, scored["indicators"], strict=True)]
    for f in scored["findings"]:
        f["label"], f["severity_label"] = finding_label(f["code"]), SEVERITY_LABELS[f["severity"]]
    common = ledgers.read(evaluation).common if evaluation.year.lines.exists() else []
    context = {"evaluation": evaluation, "out": scored, "narrative": narrative, "rows": rows, "common": common,
               "misplaced": misplaced(evaluation), "job": evaluation.report_jobs.first()}  # fmt: skip
    return render(
        request, "performance/evaluation.html", {**context, "error": error}, status=409 if error else 200
    )


@perf_view
def evaluation_export(request, pk):
    evaluation = get_object_or_404(Evaluation, pk=pk)
    return JsonResponse(dump(to_exchange(evaluation)), json_dumps_params={"ensure_ascii": False, "indent": 2})


@perf_edit
@require_POST
def evaluation_import(request):
    upload = request.FILES.get("file")
    try:
        data = jsoninput.loads(upload.read()) if upload else None
        if data is None:
            raise ExchangeError("file", "请选择自评 JSON 文件")
        evaluation = import_evaluation(data, actor=request.user, organisation=request.user.organisation)
    except (ValueError, UnicodeDecodeError) as exc:
        known = isinstance(exc, ExchangeError | jsoninput.JSONInputError)
        message = str(exc) if known else "文件不是有效的 JSON"
        return render(request, "performance/home.html",
                      {"years": FiscalYear.objects.all(), "error": f"导入失败：{message}"}, status=400)  # fmt: skip
    return redirect("performance:evaluation", pk=evaluation.pk)


@perf_edit
@require_POST
def report_start(request, pk):
    evaluation = get_object_or_404(Evaluation, pk=pk)
    job = ReportJob.objects.create(evaluation=evaluation, actor=request.user)
    return render(request, "performance/_report_status.html", {"job": job})


@perf_view
def report_status(request, job_id):
    job = get_object_or_404(ReportJob, pk=job_id)
    if job.status == ReportJob.Status.PENDING:
        job = run_job(job)
    return render(request, "performance/_report_status.html", {"job": job})


@perf_view
def report_download(request, job_id, fmt):
    job = get_object_or_404(
        ReportJob.objects.select_related("evaluation__year", "evaluation__project"), pk=job_id
    )
    content = job.docx if fmt == "docx" else job.xlsx
    if job.status != ReportJob.Status.DONE or content is None:
        raise PermissionDenied("报告尚未生成完成")
    return _attachment(bytes(content), report_filename(job.evaluation, fmt), DOCX if fmt == "docx" else XLSX)


@perf_edit
@require_POST
def starter_indicators(request, pk):
    evaluation = get_object_or_404(Evaluation, pk=pk)
    add_starter_indicators(evaluation, actor=request.user)
    return redirect("performance:evaluation", pk=pk)
