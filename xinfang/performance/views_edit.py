"""On-screen editing of the year: evaluations from the budget, indicators and results, basic data."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import bindings
from .access import perf_edit, perf_view
from .editing import (
    DEFINITION_FIELDS,
    RESULT_FIELDS,
    EvaluationExists,
    StaleEdit,
    add_indicator,
    create_evaluation,
    delete_indicator,
    save_basic_data,
    update_indicator,
)
from .forms import GRADES, level_tree, number, parse_indicator, version_of
from .labels import OPERATOR_CHOICES
from .models import Evaluation, FiscalYear, FundSource, Indicator, ThreePublicExpense
from .money import wan
from .selectors import bound_value


@perf_edit
@require_POST
def evaluation_create(request, year):
    fy = get_object_or_404(FiscalYear, year=year)
    project = None
    if request.POST.get("project"):
        project = get_object_or_404(fy.projects, pk=request.POST["project"])
    try:
        evaluation = create_evaluation(fy, project=project, actor=request.user)
    except EvaluationExists as exc:
        return render(request, "performance/error.html", {"fy": fy, "error": str(exc)}, status=409)
    return redirect("performance:evaluation", pk=evaluation.pk)


def _indicator_page(request, evaluation, indicator, errors=(), posted=None, status=200):
    """The form shows what the user typed after an error, else the stored values."""
    shown = {f: "" for f in (*DEFINITION_FIELDS, *RESULT_FIELDS)}
    shown["operator"] = ">="
    if indicator is not None:
        shown.update({f: "" if getattr(indicator, f) is None else str(getattr(indicator, f)) for f in shown})
    if posted is not None:
        shown.update({f: posted[f] for f in shown if f in posted})
    bound = bound_value(indicator, evaluation.year.year) if indicator is not None else None
    context = {
        "evaluation": evaluation, "indicator": indicator, "errors": list(errors), "grades": GRADES, "bound": bound,
        "binding_label": bindings.label(indicator.binding) if indicator is not None and indicator.binding else "",
        "tree": level_tree(evaluation), "operators": OPERATOR_CHOICES, "v": shown,
    }  # fmt: skip
    return render(request, "performance/indicator.html", context, status=status)


@perf_edit
def indicator_new(request, pk):
    evaluation = get_object_or_404(Evaluation.objects.select_related("year", "project"), pk=pk)
    if request.method != "POST":
        return _indicator_page(request, evaluation, None)
    values, errors = parse_indicator(request.POST, evaluation, None)
    if errors:
        return _indicator_page(request, evaluation, None, errors, request.POST, 400)
    add_indicator(evaluation, values, actor=request.user)
    return redirect("performance:evaluation", pk=evaluation.pk)


@perf_view
def indicator_edit(request, pk):
    indicator = get_object_or_404(Indicator.objects.select_related("evaluation__year"), pk=pk)
    evaluation = indicator.evaluation
    if request.method != "POST":
        return _indicator_page(request, evaluation, indicator)
    values, errors = parse_indicator(request.POST, evaluation, indicator)
    version = version_of(request.POST)
    if version is None:
        errors.append("表单缺少版本号，请刷新页面后重新填写")
    if errors:
        return _indicator_page(request, evaluation, indicator, errors, request.POST, 400)
    try:
        update_indicator(indicator, values, version, actor=request.user)
    except StaleEdit as exc:
        indicator.refresh_from_db()
        return _indicator_page(request, evaluation, indicator, [exc.message], request.POST, 409)
    return redirect("performance:evaluation", pk=evaluation.pk)


@perf_edit
@require_POST
def indicator_adopt(request, pk):
    """The preparer adopts the bound statistic as the actual (a deliberate choice, versioned like any edit)."""
    indicator = get_object_or_404(Indicator.objects.select_related("evaluation__year"), pk=pk)
    value = bound_value(indicator, indicator.evaluation.year.year)
    if value is None:
        return _indicator_page(
            request, indicator.evaluation, indicator, ["该指标没有可采用的统计值"], status=400
        )
    try:
        update_indicator(indicator, {"actual": value}, version_of(request.POST) or 0, actor=request.user)
    except StaleEdit as exc:
        return _indicator_page(request, indicator.evaluation, indicator, [exc.message], status=409)
    return redirect("performance:evaluation", pk=indicator.evaluation_id)


@perf_edit
@require_POST
def indicator_delete(request, pk):
    indicator = get_object_or_404(Indicator.objects.select_related("evaluation"), pk=pk)
    try:
        delete_indicator(indicator, version_of(request.POST) or 0, actor=request.user)
    except StaleEdit as exc:
        return _indicator_page(request, indicator.evaluation, indicator, [exc.message], status=409)
    return redirect("performance:evaluation", pk=indicator.evaluation_id)


def _basic_rows(fy):
    incomes = {
        r.fund_source: {"amount": wan(r.amount), "prior": wan(r.prior_year_final)} for r in fy.incomes.all()
    }
    three = {r.item: {"budget": wan(r.budget), "final": wan(r.final), "prior": wan(r.prior_final)}
             for r in fy.three_public.all()}  # fmt: skip
    return (
        [(key, label, incomes.get(key, {})) for key, label in FundSource.choices],
        [(key, label, three.get(key, {})) for key, label in ThreePublicExpense.Item.choices],
    )


@perf_view
def basic_data(request, year):
    """编制与人员、政府采购、收入（按来源）、三公经费 of one year, on one page."""
    fy = get_object_or_404(FiscalYear, year=year)
    errors: list[str] = []
    if request.method == "POST":
        post = request.POST
        values = {}
        for field in ("authorised_headcount", "actual_headcount", "retirees"):
            label = FiscalYear._meta.get_field(field).verbose_name
            n = number(post.get(field, "0") or "0", label, errors, places=0)
            values[field] = int(n or 0)
        for field in ("procurement_planned", "procurement_actual"):
            label = FiscalYear._meta.get_field(field).verbose_name
            values[field] = (number(post.get(field, ""), f"{label}（万元）", errors, places=6) or 0) * 10000
        incomes = {}
        for key, label in FundSource.choices:
            amount = number(post.get(f"income_{key}", ""), f"{label}本年收入", errors, places=6)
            prior = number(post.get(f"income_prior_{key}", ""), f"{label}上年决算数", errors, places=6)
            if amount is not None or prior is not None:
                incomes[key] = ((amount or 0) * 10000, (prior or 0) * 10000)
        three = {}
        for key, label in ThreePublicExpense.Item.choices:
            parts = [number(post.get(f"tp_{p}_{key}", ""), f"{label}{n}", errors, places=6)
                     for p, n in (("budget", "预算数"), ("final", "决算数"), ("prior", "上年决算数"))]  # fmt: skip
            if any(x is not None for x in parts):
                three[key] = tuple((x or 0) * 10000 for x in parts)
        version = version_of(post)
        if version is None:
            errors.append("表单缺少版本号，请刷新页面后重新填写")
        status = 400
        if not errors:
            try:
                save_basic_data(fy, values, incomes, three, version, actor=request.user)
                return redirect("performance:basic", year=year)
            except StaleEdit as exc:
                errors.append(exc.message)
                fy.refresh_from_db()
                status = 409
    income_rows, three_rows = _basic_rows(fy)
    context = {"fy": fy, "errors": errors, "income_rows": income_rows, "three_rows": three_rows,
               "procurement": {"planned": wan(fy.procurement_planned), "actual": wan(fy.procurement_actual)}}  # fmt: skip
    return render(request, "performance/basic.html", context, status=status if errors else 200)
