"""Writes behind the on-screen year: evaluations from the budget, indicators, results and basic data.

Every edit carries the version the user loaded; a conditional UPDATE on (pk, version) refuses a stale form
instead of silently overwriting someone else's change (``StaleEdit``).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import F, Max

from xinfang.audit.services import record

from .frameworks import DEFAULT_FRAMEWORK
from .models import Evaluation, FiscalYear, FundSource, IncomeRecord, Indicator, Project, ThreePublicExpense

STALE_MESSAGE = (
    "该记录已被他人修改（版本 {theirs}，您打开的是版本 {mine}），您的修改未保存。请刷新页面后重新填写。"
)

DEFINITION_FIELDS = ("level1", "level2", "level3", "operator", "target", "unit", "weight", "scoring_note",
                     "definition", "data_source")  # fmt: skip
RESULT_FIELDS = (
    "actual",
    "grade",
    "claimed_score",
    "deviation_reason",
    "mid_year_progress",
    "corrective_action",
)
YEAR_FIELDS = (
    "authorised_headcount",
    "actual_headcount",
    "retirees",
    "procurement_planned",
    "procurement_actual",
)


class StaleEdit(Exception):
    def __init__(self, mine: int, theirs: int):
        super().__init__(STALE_MESSAGE.format(mine=mine, theirs=theirs))
        self.message = str(self)


class EvaluationExists(Exception):
    pass


def bump(model, pk: int, version: int, values: dict) -> None:
    """Write ``values`` only if the row is still at ``version``; raise StaleEdit otherwise."""
    if not model.objects.filter(pk=pk, version=version).update(**values, version=F("version") + 1):
        theirs = model.objects.filter(pk=pk).values_list("version", flat=True).first() or 0
        raise StaleEdit(version, theirs)


def _snapshot(obj, fields) -> dict:
    return {f: str(getattr(obj, f) if getattr(obj, f) is not None else "") for f in fields}


@transaction.atomic
def create_evaluation(year: FiscalYear, *, project: Project | None = None, actor=None) -> Evaluation:
    """The year's department-wide (or one project's) self-evaluation; its budget is the year's lines."""
    if Evaluation.objects.filter(year=year, project=project).exists():
        owner = project.name if project else "部门整体"
        raise EvaluationExists(f"{year.year}年度{owner}的自评已存在")
    kind = Evaluation.Kind.PROJECT if project else Evaluation.Kind.DEPARTMENT
    evaluation = Evaluation.objects.create(
        year=year, project=project, kind=kind, framework=DEFAULT_FRAMEWORK[kind]
    )
    record("performance.evaluation_create", actor=actor, obj=evaluation, after={"kind": kind})
    return evaluation


@transaction.atomic
def add_indicator(evaluation: Evaluation, values: dict, *, actor=None) -> Indicator:
    order = (evaluation.indicators.aggregate(m=Max("order"))["m"] or 0) + 1
    indicator = Indicator.objects.create(evaluation=evaluation, order=order,
                                         **{f: values[f] for f in DEFINITION_FIELDS if f in values})  # fmt: skip
    record(
        "performance.indicator_add", actor=actor, obj=indicator, after=_snapshot(indicator, DEFINITION_FIELDS)
    )
    return indicator


@transaction.atomic
def update_indicator(indicator: Indicator, values: dict, version: int, *, actor=None) -> Indicator:
    """Definition and/or result fields of one indicator, refused when the row moved past ``version``."""
    fields = [f for f in (*DEFINITION_FIELDS, *RESULT_FIELDS) if f in values]
    before = _snapshot(indicator, fields)
    bump(Indicator, indicator.pk, version, {f: values[f] for f in fields})
    indicator.refresh_from_db()
    action = (
        "performance.indicator_result" if set(fields) <= set(RESULT_FIELDS) else "performance.indicator_edit"
    )
    record(action, actor=actor, obj=indicator, before=before, after=_snapshot(indicator, fields))
    return indicator


@transaction.atomic
def delete_indicator(indicator: Indicator, version: int, *, actor=None) -> None:
    if not Indicator.objects.filter(pk=indicator.pk, version=version).exists():
        theirs = Indicator.objects.filter(pk=indicator.pk).values_list("version", flat=True).first() or 0
        raise StaleEdit(version, theirs)
    before = _snapshot(indicator, DEFINITION_FIELDS)
    record("performance.indicator_delete", actor=actor, obj=indicator.evaluation, before=before)
    indicator.delete()


@transaction.atomic
def save_basic_data(
    year: FiscalYear,
    values: dict,
    incomes: dict[str, tuple[Decimal, Decimal]],
    three_public: dict[str, tuple[Decimal, Decimal, Decimal]],
    version: int,
    *,
    actor=None,
) -> FiscalYear:
    """人员、政府采购 on the year; 收入 per source (本年, 上年决算); 三公经费 per item (预算, 决算, 上年决算)."""
    before = _snapshot(year, YEAR_FIELDS)
    bump(FiscalYear, year.pk, version, {f: values[f] for f in YEAR_FIELDS if f in values})
    for source, (amount, prior) in incomes.items():
        assert source in FundSource.values
        IncomeRecord.objects.update_or_create(year=year, fund_source=source,
                                              defaults={"amount": amount, "prior_year_final": prior})  # fmt: skip
    for item, (budget, final, prior) in three_public.items():
        ThreePublicExpense.objects.update_or_create(year=year, item=item,
                                                    defaults={"budget": budget, "final": final, "prior_final": prior})  # fmt: skip
    year.refresh_from_db()
    record("performance.basic_data", actor=actor, obj=year, before=before, after=_snapshot(year, YEAR_FIELDS))
    return year
