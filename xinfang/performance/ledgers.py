"""Figures the report and the 共性指标 read from the ledgers (元), for the department or one project.

共性指标 (common indicators, domain/performance.md §1 and §7.3 [S]; formulas as used in the 基础数据表):
预算执行率 = 执行数 / 全年预算数; 预算调整率 = Σ调整 / 年初预算数; 结转结余率 = (全年预算数 + 上年结转 − 执行数)
/ (全年预算数 + 上年结转); 公用经费控制率 = 公用经费执行数 / 公用经费全年预算数; 三公经费控制率 = 三公决算数 /
三公预算数; 政府采购执行率 = 实际采购 / 采购预算. A rate whose denominator is 0 is None ("—"), never 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from .models import BudgetLine, Evaluation, FiscalYear, FundSource, Nature, ThreePublicExpense
from .money import percent
from .selectors import BudgetTotals, line_totals, lines_for, sum_totals

ZERO = Decimal(0)


@dataclass
class CommonIndicator:
    name: str
    formula: str
    numerator: Decimal | None
    denominator: Decimal | None

    @property
    def rate(self) -> Decimal | None:  # percent, unrounded
        return percent(self.numerator, self.denominator)


@dataclass
class Ledgers:
    totals: BudgetTotals
    by_nature: dict[str, BudgetTotals]  # Nature key → totals
    by_source: dict[str, BudgetTotals]  # FundSource key → totals
    incomes: list[tuple[str, Decimal, Decimal]]  # (label, 本年, 上年决算)
    three_public: list[tuple[str, Decimal, Decimal, Decimal]]  # (label, 上年决算, 预算, 决算)
    common: list[CommonIndicator]


def _group(lines, per_line, attr) -> dict[str, BudgetTotals]:
    keys = {getattr(line, attr) for line in lines}
    return {k: sum_totals(per_line[line.pk] for line in lines if getattr(line, attr) == k) for k in keys}


def read(evaluation: Evaluation) -> Ledgers:
    year: FiscalYear = evaluation.year
    qs = lines_for(evaluation)
    lines = list(qs)
    per_line = line_totals(
        BudgetLine.objects.filter(pk__in=[line.pk for line in lines]), date(year.year, 12, 31)
    )
    totals = sum_totals(per_line.values())
    by_nature = _group(lines, per_line, "nature")
    labels = dict(FundSource.choices)
    incomes = [
        (labels[r.fund_source], r.amount, r.prior_year_final) for r in year.incomes.order_by("fund_source")
    ]
    items = dict(ThreePublicExpense.Item.choices)
    three = [(items[t.item], t.prior_final, t.budget, t.final) for t in year.three_public.all()]
    three.sort(key=lambda t: list(items.values()).index(t[0]))
    tp = year.three_public.aggregate(b=Sum("budget"), f=Sum("final"))
    public = by_nature.get(Nature.PUBLIC)
    common = [
        CommonIndicator("预算执行率", "全年执行数 ÷ 全年预算数", totals.executed, totals.full_year),
        CommonIndicator("预算调整率", "预算调整数 ÷ 年初预算数", totals.adjustments, totals.initial),
        CommonIndicator(
            "结转结余率",
            "（全年预算数 + 上年结转 − 全年执行数）÷（全年预算数 + 上年结转）",
            totals.available - totals.executed,
            totals.available,
        ),  # fmt: skip
        CommonIndicator(
            "公用经费控制率",
            "公用经费执行数 ÷ 公用经费全年预算数",
            public.executed if public else None,
            public.full_year if public else None,
        ),  # fmt: skip
        CommonIndicator("三公经费控制率", "三公经费决算数 ÷ 三公经费预算数", tp["f"], tp["b"]),
        CommonIndicator(
            "政府采购执行率",
            "政府采购实际金额 ÷ 政府采购预算金额",
            year.procurement_actual,
            year.procurement_planned,
        ),  # fmt: skip
    ]
    return Ledgers(totals, by_nature, _group(lines, per_line, "fund_source"), incomes, three, common)
