"""Writes: one function per business action, each in one transaction with its audit event."""

from __future__ import annotations

from django.db import transaction

from xinfang.audit.services import record

from .editing import bump
from .exchange import SelfEvaluation, dump, parse
from .models import Evaluation, FiscalYear, Indicator, Project

NARRATIVE_KEYS = {
    "functions": "部门职能（项目自评：项目概况）",
    "organisation": "机构设置",
    "key_work": "年度总体工作和重点工作任务",
    "annual_goal": "年度总体目标（预期目标）",
    "goal_outcome": "年度总体目标实际完成情况",
    "goals": "绩效目标补充说明",
    "conclusion": "自评结论补充说明",
    "deviation": "偏离原因补充说明",
    "effectiveness": "履职效能分析",
    "efficiency": "管理效率分析（项目自评：项目管理情况）",
    "problems": "存在的主要问题",
    "measures": "改进措施",
    "results_use": "结果应用",
    "other": "其他需要说明的情况",
    "preparer": "填表人",
    "phone": "联系电话",
    "basic": "基本情况（旧版字段）",
}
_EXTENSION_KEYS = ("income", "components", "expense_shares", "printed_rates", "table_years")


def _project_for(year: FiscalYear, name: str) -> Project:
    project = Project.objects.filter(year=year, name=name).first()
    if project is None:
        # The first free P-number: a count would collide with codes an import already used (P002 with one project).
        taken = set(Project.objects.filter(year=year).values_list("code", flat=True))
        code = next(f"P{n:03d}" for n in range(1, len(taken) + 2) if f"P{n:03d}" not in taken)
        project = Project.objects.create(year=year, code=code, name=name, is_key_project=True)
    return project


@transaction.atomic
def import_evaluation(data: dict, *, actor=None, organisation=None) -> Evaluation:
    """Create or replace the evaluation the exchange JSON describes (indicators replaced as a whole)."""
    ev: SelfEvaluation = parse(data)
    year, _ = FiscalYear.objects.get_or_create(year=ev.year, defaults={"organisation": organisation})
    project = _project_for(year, ev.project) if ev.kind == "project" else None
    extra = {k: getattr(ev, k) for k in _EXTENSION_KEYS if getattr(ev, k)}
    extra.update(ev.extra)
    dumped = dump(ev)
    extra["stated_budget"] = dumped["budget"]
    extra["organisation"] = ev.organisation
    if ev.printed_keys_present:
        extra.update(printed_total=dumped["printed_total"], printed_grade=ev.printed_grade)
    evaluation, created = Evaluation.objects.update_or_create(
        year=year,
        project=project,
        defaults={
            "kind": ev.kind, "framework": ev.framework or "", "execution_weight": ev.execution_weight,
            "claimed_execution_score": ev.claimed_execution_score,
            "execution_explanation": ev.execution_explanation, "extra": extra,
        },
    )  # fmt: skip
    evaluation.indicators.all().delete()
    Indicator.objects.bulk_create(
        Indicator(
            evaluation=evaluation, order=n, level1=i.level1, level2=i.level2, level3=i.level3,
            operator=i.operator, target=i.target or "", unit=i.unit, weight=i.weight, actual=i.actual or "",
            grade=i.grade or "", claimed_score=i.claimed_score, deviation_reason=i.deviation_reason,
            binding=i.binding, definition=i.definition, data_source=i.data_source,
            actual_unit=i.actual_unit or "", deduction=i.deduction, note=i.note,
        )
        for n, i in enumerate(ev.indicators)
    )  # fmt: skip
    record("performance.evaluation_import", actor=actor, obj=evaluation,
           after={"created": created, "indicators": len(ev.indicators)})  # fmt: skip
    return evaluation


@transaction.atomic
def save_narrative(
    evaluation: Evaluation, texts: dict[str, str], *, actor=None, version: int | None = None
) -> Evaluation:
    """Report texts; with ``version`` (the page's form) a stale form is refused with StaleEdit."""
    before = dict(evaluation.narrative)
    evaluation.narrative = {**before, **{k: v.strip() for k, v in texts.items() if k in NARRATIVE_KEYS}}
    if version is None:
        evaluation.save(update_fields=["narrative"])
    else:
        bump(Evaluation, evaluation.pk, version, {"narrative": evaluation.narrative})
        evaluation.refresh_from_db()
    record("performance.narrative", actor=actor, obj=evaluation, before=before, after=evaluation.narrative)
    return evaluation


INDICATOR_FIELDS = (
    "actual",
    "grade",
    "claimed_score",
    "deviation_reason",
    "mid_year_progress",
    "corrective_action",
)


@transaction.atomic
def update_indicator_result(indicator: Indicator, values: dict, *, actor=None) -> Indicator:
    before = {f: str(getattr(indicator, f) or "") for f in INDICATOR_FIELDS}
    for f in INDICATOR_FIELDS:
        if f in values:
            setattr(indicator, f, values[f])
    indicator.save()
    after = {f: str(getattr(indicator, f) or "") for f in INDICATOR_FIELDS}
    record("performance.indicator_result", actor=actor, obj=indicator, before=before, after=after)
    return indicator
