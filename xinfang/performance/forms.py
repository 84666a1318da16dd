"""Parsing of the on-screen forms into service values, with Chinese messages (no raw codes shown)."""

from __future__ import annotations

from decimal import Decimal

from .editing import DEFINITION_FIELDS, RESULT_FIELDS
from .frameworks import framework_for
from .labels import OPERATOR_LABELS
from .library import tree
from .models import Evaluation, Indicator
from .money import to_decimal

GRADES = ("", "达成", "部分达成", "未达成")
HUNDRED = Decimal(100)


def number(raw: str, label: str, errors: list[str], *, places: int = 2, minimum=Decimal(0)) -> Decimal | None:
    try:
        value = to_decimal(raw)
    except ValueError:
        errors.append(f"{label}“{raw}”不是有效的数字")
        return None
    if value is None:
        return None
    if value.as_tuple().exponent < -places:
        errors.append(f"{label}最多保留{places}位小数")
    elif minimum is not None and value < minimum:
        errors.append(f"{label}不能小于 {minimum}")
    return value


def version_of(post) -> int | None:
    try:
        return int(post.get("version", ""))
    except ValueError:
        return None


def level_tree(evaluation: Evaluation) -> dict[str, list[str]]:
    return tree(framework_for(evaluation.kind, evaluation.framework or None).cost_branch)


def parse_indicator(post, evaluation: Evaluation, indicator: Indicator | None) -> tuple[dict, list[str]]:
    """Definition fields when the form has them (``level1`` present), result fields when present."""
    errors: list[str] = []
    values = {f: post.get(f, "").strip() for f in (*DEFINITION_FIELDS, *RESULT_FIELDS) if f in post}
    if "level1" in values or indicator is None:
        allowed = level_tree(evaluation)
        if values.get("level1") not in allowed:
            errors.append(f"一级指标应为：{'、'.join(allowed)}")
        elif values.get("level2") not in allowed[values["level1"]]:
            errors.append(f"二级指标“{values.get('level2', '')}”不属于一级指标“{values['level1']}”")
        if not values.get("level3"):
            errors.append("三级指标名称不能为空")
        if values.get("operator") not in OPERATOR_LABELS:
            errors.append("请选择指标值的比较方式（≥、≤、=、＞、＜ 或 定性）")
        if not values.get("target"):
            errors.append("年度指标值不能为空")
        weight = number(values.get("weight", ""), "分值", errors)
        if weight is None and not any(e.startswith("分值") for e in errors):
            errors.append("分值不能为空")
        elif weight is not None and weight > HUNDRED:
            errors.append("分值不能超过 100")
        values["weight"] = weight
    if "claimed_score" in values:
        values["claimed_score"] = number(values["claimed_score"], "自评得分", errors)
        weight = values.get("weight", indicator.weight if indicator else None)
        score = values["claimed_score"]
        if not errors and score is not None and weight is not None and score > weight:
            errors.append(f"自评得分不能超过分值 {weight}")
    if values.get("grade", "") not in GRADES:
        errors.append("定性评价等级应为 达成、部分达成 或 未达成")
    return values, errors
