"""Consistency checks over one evaluation (domain/performance.md §6), each with a stable code and Chinese message.

``check(ev, result)`` returns a list of Finding; ``index`` is the 0-based position in ``indicators`` or None.
Codes (design.md §6 and §6 check numbers of domain/performance.md):

empty_indicator (8), duplicate_indicator (8), unit_mismatch (7), nature_mismatch (7),
qualitative_grade_missing (7), deduction_without_reason (6), over_achievement_unexplained (§4.1 b),
score_mismatch (6), score_out_of_band (§4.1 c), score_exceeds_weight (5), weight_sum_mismatch (5),
total_mismatch (5), total_over_100 (5), score_unverifiable (5), sum_mismatch (1, 2, 11), rate_mismatch (4),
execution_from_income (3), money_unit_suspect (10), adjustment_unexplained (11),
low_execution_unexplained (§4.1 a), grade_missing (9), grade_mismatch (9), year_mismatch (12).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal

from .exchange import Indicator, SelfEvaluation
from .frameworks import grade_for
from .labels import operator_label
from .money import HUNDRED, MONEY_UNITS, parse_quantity, percent, q2, s2, to_decimal
from .scoring import Result, in_band

ERROR, WARNING = "error", "warning"
GRADE_WORDS = {"优秀": "优", "良好": "良", "中等": "中", "合格": "中", "不合格": "差", "较差": "差"}


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    index: int | None = None
    severity: str = ERROR

    def as_dict(self) -> dict:
        return asdict(self)


def _name(i: int, ind: Indicator) -> str:
    return f"第{i + 1}项指标“{ind.level3 or '（未命名）'}”"


def _dec(value) -> Decimal | None:
    try:
        return to_decimal(value)
    except ValueError:
        return None


def _indicator_findings(ev: SelfEvaluation, result: Result) -> list[Finding]:
    out: list[Finding] = []
    fw = result.framework
    for sc in result.indicators:
        i, ind = sc.index, ev.indicators[sc.index]
        name = _name(i, ind)
        if sc.problem == "empty":
            missing = [label for label, v in (("三级指标名称", ind.level3), ("指标值", ind.target),
                                               ("分值", ind.weight)) if v in (None, "")]  # fmt: skip
            out.append(Finding("empty_indicator", f"{name}缺少{'、'.join(missing) or '目标值'}，未计分", i))
            continue
        if sc.problem == "unit":
            out.append(Finding("unit_mismatch", f"{name}的实际完成值单位“{sc.actual_unit}”与指标值单位“"
                                                f"{ind.unit or parse_quantity(ind.target)[1]}”不一致，无法比较，未计分", i))  # fmt: skip
        if sc.problem == "actual":
            out.append(
                Finding(
                    "nature_mismatch",
                    f"{name}为定量指标，但实际完成值“{ind.actual or ''}”不是数值，未计分",
                    i,
                )
            )
        if sc.problem == "grade" and sc.text_target:
            out.append(Finding("text_target", f"{name}的指标值“{ind.target}”为文字，不能按“{operator_label(ind.operator)}”"
                               "比较；请将比较方式改为“定性”并选择评价等级，未计分", i))  # fmt: skip
        elif sc.problem == "grade":
            out.append(
                Finding(
                    "qualitative_grade_missing",
                    f"{name}为定性指标，未选择评价等级（达成/部分达成/未达成），也未填写自评得分，未计分",
                    i,
                )
            )
        elif sc.text_target:
            out.append(Finding("text_target", f"{name}的指标值“{ind.target}”为文字，已按定性指标计分；"
                               "建议将比较方式改为“定性”", i, WARNING))  # fmt: skip
        if sc.inferred_grade:
            out.append(Finding("qualitative_grade_inferred", f"{name}未选择评价等级，按自评得分 "
                               f"{s2(ind.claimed_score)} 推定为“{sc.inferred_grade}”，请确认", i, WARNING))  # fmt: skip
        if ind.is_qualitative and parse_quantity(ind.actual) is not None:
            out.append(
                Finding(
                    "nature_mismatch",
                    f"{name}的指标值为定性描述，实际完成值却填写为“{ind.actual}”，应填写定性评价等级",
                    i,
                )
            )
        out.extend(_score_findings(i, ind, sc, fw))
        bound = parse_quantity(ind.bound_actual)
        typed = parse_quantity(ind.actual)
        if bound and typed and q2(bound[0]) != q2(typed[0]):
            out.append(Finding("bound_value_differs", f"{name}填报的实际完成值“{ind.actual}”与统计值 "
                               f"{ind.bound_actual} 不一致，请确认采用哪一个", i, WARNING))  # fmt: skip
    return out


def _score_findings(i, ind, sc, fw) -> list[Finding]:
    out: list[Finding] = []
    name = _name(i, ind)
    weight, claimed = ind.weight, ind.claimed_score
    if weight is not None and claimed is not None and claimed > weight:
        out.append(Finding("score_exceeds_weight", f"{name}自评得分 {s2(claimed)} 超过分值 {s2(weight)}", i))
    if sc.score is not None and claimed is not None:
        grade = sc.inferred_grade or ind.grade
        qualitative = ind.is_qualitative or sc.text_target
        if qualitative and grade and not in_band(grade, weight, claimed):
            out.append(
                Finding(
                    "score_out_of_band",
                    f"{name}评价等级为“{grade}”，自评得分 {s2(claimed)} 不在该等级的分数区间内",
                    i,
                )
            )
        elif not qualitative and abs(claimed - sc.score) > Decimal("0.01"):
            out.append(
                Finding(
                    "score_mismatch", f"{name}自评得分 {s2(claimed)} 与按规则计算的 {s2(sc.score)} 不一致", i
                )
            )
    effective = claimed if claimed is not None else sc.score
    short = effective is not None and weight is not None and effective < weight
    if (short or sc.met is False) and not ind.deviation_reason:
        why = "实际完成值未达到指标值" if sc.met is False else f"得分 {s2(effective)} 低于分值 {s2(weight)}"
        out.append(Finding("deduction_without_reason", f"{name}{why}，但未填写偏差原因分析及改进措施", i))
    if (
        ind.operator in (">=", ">")
        and sc.target_value
        and sc.actual_value is not None
        and sc.actual_value >= sc.target_value * fw.over_achievement_ratio
        and not ind.deviation_reason
    ):
        out.append(Finding("over_achievement_unexplained", f"{name}实际完成值超过指标值的 "
                           f"{s2(fw.over_achievement_ratio * HUNDRED)}%，指标值可能设置偏低，需说明原因", i, WARNING))  # fmt: skip
    return out


def _restates(a: Indicator, b: Indicator) -> bool:
    """Two rows sharing a target text are one indicator only when a name restates the other or the target
    (seed 001: 经济效益 "社会大局" with target "我区社会大局和谐稳定"); a shared stock phrase such as
    "达成预期指标" under two different indicators is not a duplicate."""
    names = (a.level3, b.level3)
    return (
        any(n and (n in a.target or n in b.target) for n in names)
        or a.level3 in b.level3
        or b.level3 in a.level3
    )


def _duplicates(ev: SelfEvaluation) -> list[Finding]:
    out, seen = [], {}
    for i, ind in enumerate(ev.indicators):
        keys = {("name", ind.level3)} if ind.level3 else set()
        if ind.is_qualitative and ind.target and len(ind.target) >= 4:
            keys.add(("target", ind.target))
        for key in keys:
            if key in seen and (key[0] == "name" or _restates(ind, ev.indicators[seen[key]])):
                j = seen[key]
                other = ev.indicators[j]
                where = (
                    "同一二级指标下"
                    if other.level2 == ind.level2
                    else f"“{other.level2}”与“{ind.level2}”两个二级指标下"
                )
                out.append(
                    Finding("duplicate_indicator", f"{_name(i, ind)}与{_name(j, other)}重复（{where}）", i)
                )
                break
        for key in keys:
            seen.setdefault(key, i)
    return out


def _branch_weights(ev: SelfEvaluation, result: Result) -> list[Finding]:
    """产出/效益/满意度 (…) weight split against the framework's ``branch_weights`` (§4.1: 50/30/10 [S])."""
    fw, out = result.framework, []
    if not fw.branch_weights or not ev.indicators:
        return out
    sums: dict[str, Decimal] = {}
    for ind in ev.indicators:
        sums[ind.level1] = sums.get(ind.level1, Decimal(0)) + (ind.weight or Decimal(0))
    for branch, expected in fw.branch_weights.items():
        if sums.get(branch, Decimal(0)) != expected:
            out.append(Finding("branch_weight_mismatch", f"{branch}分值合计 {s2(sums.get(branch, Decimal(0)))}，"
                               f"{fw.label}规定为 {s2(expected)}", None, WARNING))  # fmt: skip
    for branch in sums.keys() - fw.branch_weights.keys():
        out.append(
            Finding("branch_weight_mismatch", f"一级指标“{branch}”不在{fw.label}的指标体系内", None, WARNING)
        )
    return out


def _weights_and_totals(ev: SelfEvaluation, result: Result) -> list[Finding]:
    out = []
    weights = [ind.weight for ind in ev.indicators if ind.weight is not None]
    if weights and ev.execution_weight + sum(weights) != HUNDRED:
        out.append(Finding("weight_sum_mismatch", f"预算执行率分值 {s2(ev.execution_weight)} 与指标分值合计 "
                           f"{s2(sum(weights))} 之和为 {s2(ev.execution_weight + sum(weights))}，应为 100"))  # fmt: skip
    out.extend(_branch_weights(ev, result))
    if result.claimed_total is not None and result.claimed_total > HUNDRED:
        out.append(Finding("total_over_100", f"自评总分 {s2(result.claimed_total)} 超过 100 分"))
    printed = ev.printed_total
    if printed is not None:
        if result.claimed_total is not None and abs(printed - result.claimed_total) > Decimal("0.01"):
            out.append(
                Finding(
                    "total_mismatch",
                    f"报告自评分 {s2(printed)} 与各项自评得分之和 {s2(result.claimed_total)} 不一致",
                )
            )
        elif not ev.indicators:
            out.append(
                Finding(
                    "score_unverifiable",
                    f"报告给出自评分 {s2(printed)}，但未附指标评分表，无法复核",
                    None,
                    WARNING,
                )
            )
        elif (
            result.claimed_total is None
            and result.total is not None
            and abs(printed - result.total) > Decimal("0.01")
        ):
            out.append(
                Finding(
                    "total_mismatch", f"报告自评分 {s2(printed)} 与按规则计算的总分 {s2(result.total)} 不一致"
                )
            )
    grade = GRADE_WORDS.get(ev.printed_grade, ev.printed_grade)
    if ev.printed_keys_present and (printed is None or grade is None):
        missing = (
            "自评得分和等级"
            if printed is None and grade is None
            else ("自评得分" if printed is None else "等级")
        )
        out.append(Finding("grade_missing", f"报告未给出{missing}（得分与等级须同时列明）"))
    if printed is not None and grade is not None and grade != grade_for(printed):
        out.append(
            Finding(
                "grade_mismatch",
                f"自评分 {s2(printed)} 对应等级应为“{grade_for(printed)}”，报告写为“{ev.printed_grade}”",
            )
        )
    return out


def _money_findings(ev: SelfEvaluation, result: Result) -> list[Finding]:
    out, fw, unit = [], result.framework, ev.money_unit
    for comp in ev.components:
        total, parts = _dec(comp.get("total")), comp.get("parts") or []
        amounts = []
        for part in parts:
            amount = _dec(part.get("amount")) or Decimal(0)
            part_unit = part.get("unit") or unit
            if part_unit != unit:
                out.append(Finding("money_unit_suspect", f"“{comp.get('label')}”中“{part.get('label')}”的金额标注为"
                                   f"“{part_unit}”，而全表单位为“{unit}”，疑似单位错误", None, WARNING))  # fmt: skip
                amount = amount * MONEY_UNITS.get(part_unit, 1) / MONEY_UNITS[unit]
            amounts.append(amount)
        if total is not None and abs(sum(amounts, Decimal(0)) - total) > fw.money_tolerance:
            out.append(Finding("sum_mismatch", f"“{comp.get('label')}”各项之和 {s2(sum(amounts))} {unit} 与合计 "
                               f"{s2(total)} {unit} 相差 {s2(abs(sum(amounts) - total))} {unit}"))  # fmt: skip
    shares = ev.expense_shares
    if shares:
        values = [_dec(s.get("percent")) or Decimal(0) for s in shares.get("shares") or []]
        if abs(sum(values, Decimal(0)) - HUNDRED) > fw.share_tolerance:
            out.append(
                Finding(
                    "sum_mismatch",
                    f"“{shares.get('label') or '支出结构'}”各项占比之和为 {s2(sum(values))}%，应为 100%",
                )
            )
    b = ev.budget
    income_total = _dec(ev.income.get("total"))
    if (
        b.executed is not None
        and income_total is not None
        and b.executed == income_total
        and not _spending_breakdown_adds_up(ev, fw)
    ):
        out.append(
            Finding(
                "execution_from_income",
                f"执行数 {s2(b.executed)} {unit} 与总收入相同，执行数应取自支出而非收入",
            )
        )
    yuan_full = None if b.full_year is None else b.full_year * MONEY_UNITS[unit]
    if yuan_full is not None and (yuan_full < 10000 or yuan_full >= 10**10):
        out.append(
            Finding(
                "money_unit_suspect",
                f"全年预算数 {b.full_year} {unit} 的量级异常，请核对金额单位（元/万元）",
                None,
                WARNING,
            )
        )
    figures = [v for v in (b.initial, b.full_year, b.executed) if v]
    if figures and max(figures) / min(figures) >= 1000:
        out.append(
            Finding(
                "money_unit_suspect",
                "年初预算数、全年预算数与执行数的量级相差千倍以上，疑似混用元与万元",
                None,
                WARNING,
            )
        )
    return out


def _spending_breakdown_adds_up(ev: SelfEvaluation, fw) -> bool:
    """Income may equal spending: it is not a mix-up when a 功能分类 (expenditure) breakdown adds up to 执行数."""
    for comp in ev.components:
        if comp.get("kind") != "expenditure" and "功能分类" not in str(comp.get("label", "")):
            continue
        parts = [_dec(p.get("amount")) or Decimal(0) for p in comp.get("parts") or []]
        if parts and abs(sum(parts, Decimal(0)) - ev.budget.executed) <= fw.money_tolerance:
            return True
    return False


def _budget_findings(ev: SelfEvaluation, result: Result) -> list[Finding]:
    out, b, fw, unit = [], ev.budget, result.framework, ev.money_unit
    if b.initial is not None and b.full_year is not None:
        if b.adjustments:
            adjusted = b.initial + sum(a.amount for a in b.adjustments)
            if abs(adjusted - b.full_year) > fw.money_tolerance:
                out.append(Finding("sum_mismatch", f"年初预算数 {s2(b.initial)} 加调整 {s2(adjusted - b.initial)} 为 "
                                   f"{s2(adjusted)} {unit}，与全年预算数 {s2(b.full_year)} {unit} 不符"))  # fmt: skip
        change = percent(b.full_year - b.initial, b.initial)
        explained = b.adjustments and all(a.reason for a in b.adjustments)
        if change is not None and abs(change) > fw.large_adjustment_ratio * HUNDRED and not explained:
            out.append(Finding("adjustment_unexplained", f"预算调整幅度 {s2(change)}%，超过 "
                               f"{s2(fw.large_adjustment_ratio * HUNDRED)}%，需说明调整原因"))  # fmt: skip
    rate = result.execution_rate
    if rate is not None and rate < fw.low_execution_percent and not ev.execution_explanation:
        out.append(
            Finding(
                "low_execution_unexplained",
                f"预算执行率 {s2(rate)}% 低于 {s2(fw.low_execution_percent)}%，需书面说明原因",
            )
        )
    for pr in ev.printed_rates:
        printed, computed = (
            _dec(pr.get("printed")),
            q2(percent(_dec(pr.get("numerator")), _dec(pr.get("denominator")))),
        )
        if printed is not None and computed is not None and q2(printed) != computed:
            out.append(Finding("rate_mismatch", f"“{pr.get('label')}”报告写为 {pr.get('printed')}%，按 "
                               f"{pr.get('numerator')} ÷ {pr.get('denominator')} 计算应为 {s2(computed)}%"))  # fmt: skip
    return out


def _year_findings(ev: SelfEvaluation) -> list[Finding]:
    out = []
    for item in ev.table_years:
        if str(item.get("year")) != str(ev.year):
            out.append(
                Finding(
                    "year_mismatch",
                    f"“{item.get('label')}”标注为{item.get('year')}年，与报告年度{ev.year}年不符",
                )
            )
    return out


def check(ev: SelfEvaluation, result: Result) -> list[Finding]:
    return (
        _indicator_findings(ev, result)
        + _duplicates(ev)
        + _weights_and_totals(ev, result)
        + _money_findings(ev, result)
        + _budget_findings(ev, result)
        + _year_findings(ev)
    )
