"""The ``perf_evaluate`` output: a JSON-ready dict and a readable Chinese summary of one evaluation."""

from __future__ import annotations

from .exchange import SelfEvaluation
from .findings import Finding, check
from .money import s2
from .scoring import Result, evaluate


def _with_unit(value, ind) -> str:
    if not value:
        return "—"
    return value if ind.is_qualitative or not value[-1].isdigit() else f"{value}{ind.unit}"


def run(ev: SelfEvaluation) -> tuple[Result, list[Finding]]:
    result = evaluate(ev)
    return result, check(ev, result)


def as_json(ev: SelfEvaluation, result: Result, findings: list[Finding]) -> dict:
    indicators = []
    for sc in result.indicators:
        ind = ev.indicators[sc.index]
        indicators.append({
            "index": sc.index, "level1": ind.level1, "level2": ind.level2, "level3": ind.level3,
            "operator": ind.operator, "target": ind.target, "unit": ind.unit, "actual": ind.actual,
            "weight": s2(ind.weight), "computed_score": s2(sc.score), "claimed_score": s2(ind.claimed_score),
            "met": sc.met,
        })  # fmt: skip
    return {
        "organisation": ev.organisation, "year": ev.year, "kind": ev.kind, "project": ev.project,
        "framework": result.framework.key, "money_unit": ev.money_unit,
        "execution_rate": s2(result.execution_rate), "execution_weight": s2(ev.execution_weight),
        "execution_score": s2(result.execution_score),
        "claimed_execution_score": s2(ev.claimed_execution_score),
        "indicators": indicators, "total": s2(result.total), "grade": result.grade,
        "claimed_total": s2(result.claimed_total), "claimed_grade": result.claimed_grade,
        "printed_total": s2(ev.printed_total), "printed_grade": ev.printed_grade,
        "findings": [f.as_dict() for f in findings],
    }  # fmt: skip


def as_text(ev: SelfEvaluation, result: Result, findings: list[Finding]) -> str:
    title = (
        f"{ev.year}年度 {ev.organisation} "
        + (f"项目“{ev.project}”" if ev.project else "部门整体")
        + "支出绩效自评"
    )
    b = ev.budget
    lines = [
        title,
        f"全年预算数 {s2(b.full_year) or '—'} {ev.money_unit}，执行数 {s2(b.executed) or '—'} {ev.money_unit}，"
        f"执行率 {s2(result.execution_rate) or '—'}%，执行率得分 {s2(result.execution_score) or '—'}"
        f"（分值 {s2(ev.execution_weight)}）",
    ]
    for sc in result.indicators:
        ind = ev.indicators[sc.index]
        claimed = f"，自评 {s2(ind.claimed_score)}" if ind.claimed_score is not None else ""
        lines.append(
            f"  {sc.index + 1}. {ind.level1}/{ind.level2}/{ind.level3 or '（未命名）'}：指标值 {_with_unit(ind.target, ind)}"
            f"，实际 {_with_unit(ind.actual, ind)}，分值 {s2(ind.weight) or '—'}，得分 {s2(sc.score) or '未计分'}{claimed}"
        )
    if result.total is None:
        lines.append("没有可计分的绩效指标（未附指标评分表或指标均未计分），不计总分和等级")
    else:
        lines.append(f"总分 {s2(result.total)}，等级 {result.grade}")
    if result.claimed_total is not None:
        lines.append(f"自评总分 {s2(result.claimed_total)}，等级 {result.claimed_grade}")
    if ev.printed_total is not None or ev.printed_grade:
        lines.append(f"报告所列自评分 {s2(ev.printed_total) or '—'}，等级 {ev.printed_grade or '—'}")
    lines.append(f"发现问题 {len(findings)} 项" + ("：" if findings else ""))
    lines += [f"  [{f.code}] {f.message}" for f in findings]
    return "\n".join(lines)
