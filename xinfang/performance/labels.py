"""Chinese labels for the codes the module stores, so no raw code reaches a page or a report."""

from __future__ import annotations

OPERATOR_LABELS = {">=": "≥", "<=": "≤", "=": "=", ">": "＞", "<": "＜", "qualitative": "定性"}
OPERATOR_CHOICES = [(">=", "≥"), ("<=", "≤"), ("=", "="), (">", "＞"), ("<", "＜"), ("qualitative", "定性")]

FINDING_LABELS = {
    "empty_indicator": "指标不完整",
    "duplicate_indicator": "指标重复",
    "unit_mismatch": "单位不一致",
    "nature_mismatch": "指标性质不符",
    "qualitative_grade_missing": "定性指标未选等级",
    "qualitative_grade_inferred": "定性等级按自评分推定",
    "text_target": "文字型指标值",
    "deduction_without_reason": "扣分未说明原因",
    "over_achievement_unexplained": "超额完成未说明",
    "score_mismatch": "得分与规则不符",
    "score_out_of_band": "得分超出等级区间",
    "score_exceeds_weight": "得分超过分值",
    "weight_sum_mismatch": "分值合计不为100",
    "branch_weight_mismatch": "一级指标分值与框架不符",
    "total_mismatch": "总分不一致",
    "total_over_100": "总分超过100",
    "score_unverifiable": "得分无法复核",
    "sum_mismatch": "合计不符",
    "rate_mismatch": "比率计算有误",
    "execution_from_income": "执行数取自收入",
    "money_unit_suspect": "金额单位疑误",
    "adjustment_unexplained": "预算调整未说明",
    "low_execution_unexplained": "执行率偏低未说明",
    "grade_missing": "缺少得分或等级",
    "grade_mismatch": "等级与得分不符",
    "year_mismatch": "年度不符",
    "over_budget": "支出超预算",
    "bound_value_differs": "填报值与统计值不一致",
}
SEVERITY_LABELS = {"error": "错误", "warning": "提示"}


def operator_label(op: str) -> str:
    return OPERATOR_LABELS.get(op, op)


def finding_label(code: str) -> str:
    return FINDING_LABELS.get(code, "其他问题")


def target_text(operator: str, target: str | None, unit: str = "") -> str:
    """A target as printed in a table: "≥20名", "=100%", or the text of a qualitative target."""
    if not target:
        return ""
    if operator == "qualitative" or not target[-1].isdigit():
        return target
    return f"{OPERATOR_LABELS.get(operator, '')}{target}{unit}"
