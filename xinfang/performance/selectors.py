"""Reads: the DB evaluation mapped onto the exchange dataclasses, budget totals per owner."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, Sum

from . import bindings
from .exchange import Adjustment, Budget, Indicator, SelfEvaluation, parse
from .models import BudgetAdjustment, BudgetLine, Evaluation, ExecutionEntry
from .money import TEN_THOUSAND

ZERO = Decimal(0)


@dataclass
class BudgetTotals:
    """元 amounts for one line, a project or the department, executed up to `as_of`."""

    initial: Decimal
    adjustments: Decimal
    full_year: Decimal
    executed: Decimal
    carry_in: Decimal = ZERO
    carry_counted: bool = False  # full_year already includes carry_in

    @property
    def available(self) -> Decimal:
        """What may be spent this year: 全年预算数 plus 上年结转 (counted once)."""
        return self.full_year if self.carry_counted else self.full_year + self.carry_in


def lines_for(evaluation: Evaluation):
    qs = BudgetLine.objects.filter(year=evaluation.year)
    return qs.filter(project=evaluation.project) if evaluation.project_id else qs


def line_totals(lines, as_of: date) -> dict[int, BudgetTotals]:
    """Per budget line, in three grouped queries: 全年预算数 = 年初 + Σ调整 made by `as_of` (+ 上年结转 where
    XINFANG['PERF_BUDGET_INCLUDES_CARRY_IN']), and Σ执行 up to `as_of`. The one place that rule lives.
    A view as of 30 June must not count an August 追加: it was not in the budget on 30 June."""
    with_carry = settings.XINFANG.get("PERF_BUDGET_INCLUDES_CARRY_IN", False)
    adjust = dict(
        BudgetAdjustment.objects.filter(line__in=lines, date__lte=as_of)
        .values("line_id")
        .annotate(s=Sum("amount"))
        .values_list("line_id", "s")
    )
    executed = dict(
        ExecutionEntry.objects.filter(Q(line__in=lines) & Q(date__lte=as_of))
        .values("line_id")
        .annotate(s=Sum("amount"))
        .values_list("line_id", "s")
    )
    out = {}
    for pk, initial, carry in lines.values_list("pk", "initial_amount", "carry_in"):
        adj = adjust.get(pk) or ZERO
        full = initial + adj + (carry if with_carry else ZERO)
        out[pk] = BudgetTotals(initial, adj, full, executed.get(pk) or ZERO, carry, with_carry)
    return out


def sum_totals(parts) -> BudgetTotals:
    parts = list(parts)
    return BudgetTotals(
        sum((t.initial for t in parts), ZERO),
        sum((t.adjustments for t in parts), ZERO),
        sum((t.full_year for t in parts), ZERO),
        sum((t.executed for t in parts), ZERO),
        sum((t.carry_in for t in parts), ZERO),
        settings.XINFANG.get("PERF_BUDGET_INCLUDES_CARRY_IN", False),
    )


def budget_totals(lines, as_of: date) -> BudgetTotals:
    return sum_totals(line_totals(lines, as_of).values())


def bound_value(ind, year: int, unit=None) -> str | None:
    """The statistic the indicator is bound to, for the year; None without a binding or data."""
    if not ind.binding:
        return None
    value = bindings.actual_for(ind.binding, year, unit)
    return None if value is None else str(value)


def indicator_actual(ind, year: int, unit=None) -> str:
    """The typed actual; the bound statistic only where nothing was typed. A bound value never silently
    overrides what the preparer typed: the page shows both and the preparer adopts the statistic or not."""
    if ind.actual:
        return ind.actual
    return bound_value(ind, year, unit) or ""


def to_exchange(evaluation: Evaluation) -> SelfEvaluation:
    year = evaluation.year
    lines = lines_for(evaluation)
    totals = budget_totals(lines, date(year.year, 12, 31))
    adjustments = [
        Adjustment(str(a.date), a.amount / TEN_THOUSAND, a.reason)
        for a in BudgetAdjustment.objects.filter(line__in=lines).order_by("date", "pk")
    ]
    org = year.organisation
    indicators = [
        Indicator(
            level1=i.level1, level2=i.level2, level3=i.level3, operator=i.operator, target=i.target or None,
            unit=i.unit, actual=indicator_actual(i, year.year) or None, weight=i.weight,
            bound_actual=bound_value(i, year.year),
            claimed_score=i.claimed_score, deviation_reason=i.deviation_reason, grade=i.grade or None,
            binding=i.binding, definition=i.definition, data_source=i.data_source,
            actual_unit=i.actual_unit or None, deduction=i.deduction, note=i.note,
        )
        for i in evaluation.indicators.all()
    ]  # fmt: skip
    extra = dict(evaluation.extra)
    stated = extra.pop("stated_budget", None)
    org_name = extra.pop("organisation", "")
    budget = Budget(
        initial=totals.initial / TEN_THOUSAND,
        full_year=totals.full_year / TEN_THOUSAND,
        executed=totals.executed / TEN_THOUSAND,
        adjustments=adjustments,
    )
    if stated and not lines.exists():  # imported from the exchange format, no budget lines entered
        budget = parse({"year": year.year, "budget": stated}).budget
    printed_present = "printed_total" in extra or "printed_grade" in extra
    printed_total, printed_grade = extra.pop("printed_total", None), extra.pop("printed_grade", None)
    return SelfEvaluation(
        organisation=org.name if org else org_name,
        year=year.year,
        kind=evaluation.kind,
        project=evaluation.project.name if evaluation.project_id else None,
        money_unit="万元",
        budget=budget,
        execution_weight=evaluation.execution_weight,
        claimed_execution_score=evaluation.claimed_execution_score,
        indicators=indicators,
        framework=evaluation.framework or None,
        execution_explanation=evaluation.execution_explanation,
        income=extra.pop("income", {}),
        components=extra.pop("components", []),
        expense_shares=extra.pop("expense_shares", None),
        printed_rates=extra.pop("printed_rates", []),
        table_years=extra.pop("table_years", []),
        printed_total=Decimal(printed_total) if printed_total else None,
        printed_grade=printed_grade,
        printed_keys_present=printed_present,
        extra=extra,
    )
