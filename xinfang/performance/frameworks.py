"""Scoring frameworks as data (domain/performance.md §4). Each row cites where it comes from.

A framework fixes the execution weight, the branch weights, the qualitative bands, the grade table and the
thresholds the findings checker uses. Regions override by adding a Framework here (or in settings later).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

D = Decimal

# §4.2 [S] 财政部预算司 grade standard; decimals half-open (89.99 → 良) is [R], configurable by editing rows.
GRADES: tuple[tuple[Decimal, str], ...] = ((D(90), "优"), (D(80), "良"), (D(60), "中"), (D(0), "差"))

# §4.1(c) [S] vendor validation SQL: score band per qualitative grade, as fractions of the weight.
# (low, high, high_inclusive)
QUALITATIVE_BANDS: dict[str, tuple[Decimal, Decimal, bool]] = {
    "达成": (D("0.8"), D(1), True),  # 达成年度指标: 80% × w ≤ s ≤ w
    "部分达成": (D("0.6"), D("0.8"), False),  # 部分达成年度指标并具有一定效果: 60% × w ≤ s < 80% × w
    "未达成": (D(0), D("0.6"), False),  # 未达成年度指标且效果较差: 0 ≤ s < 60% × w
}
GRADE_ALIASES = {
    "达成年度指标": "达成",
    "部分达成年度指标并具有一定效果": "部分达成",
    "未达成年度指标且效果较差": "未达成",
}


@dataclass(frozen=True)
class Framework:
    key: str
    label: str
    execution_weight: Decimal = D(10)  # §4.1(a) [S] Chizhou 2022 / Qingshen 2023 forms
    branch_weights: dict[str, Decimal] = field(default_factory=dict)
    cost_branch: str = "level1"  # 成本指标 as its own 一级 (101号) or "output" (under 产出, pre-2021)
    over_achievement_ratio: Decimal = D("1.3")  # §4.1(b) [S] Guangxi vendor config: reason needed ≥ 130%
    low_execution_percent: Decimal = D(90)  # §4.1(a) [S] Sichuan form: explain a rate below 90%
    large_adjustment_ratio: Decimal = D("0.10")  # §6 check 11 [R] "large" adjustments need a reason
    money_tolerance: Decimal = D("0.01")  # §6 check 1: ±0.01 万元
    share_tolerance: Decimal = D("0.01")  # §6 check 2: ±0.01 pp


FRAMEWORKS: dict[str, Framework] = {
    f.key: f
    for f in (
        # §4.1 national default for projects, 10/50/30/10 [S].
        Framework(
            "project_national",
            "项目支出绩效自评（财预〔2020〕10号口径）",
            branch_weights={"产出指标": D(50), "效益指标": D(30), "满意度指标": D(10)},
            cost_branch="output",
        ),
        # §4.3 family 1 (自评表): execution 10 + 90 across the indicator tree [S].
        Framework("department_table", "部门整体支出绩效自评表（执行率10分 + 指标90分）"),
    )
}
DEFAULT_FRAMEWORK = {"project": "project_national", "department": "department_table"}


class UnknownFramework(ValueError):
    def __init__(self, key: str):
        super().__init__(
            f"未知的评分框架“{key}”，可用：{'、'.join(f'{k}（{f.label}）' for k, f in FRAMEWORKS.items())}"
        )


def framework_for(kind: str, key: str | None = None) -> Framework:
    key = key or DEFAULT_FRAMEWORK.get(kind, "department_table")
    if key not in FRAMEWORKS:
        raise UnknownFramework(key)
    return FRAMEWORKS[key]


def grade_for(total: Decimal | None) -> str | None:
    if total is None:
        return None
    for floor, label in GRADES:
        if total >= floor:
            return label
    return GRADES[-1][1]
