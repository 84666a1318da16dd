"""The standard indicator tree (domain/performance.md §3) and a starter library of petition-bureau indicators.

The 成本指标 branch sits as its own 一级 (财预〔2021〕101号, the four-branch tree) or under 产出 (pre-2021
templates, e.g. Chizhou 2022); the framework's ``cost_branch`` chooses.
"""

from __future__ import annotations

from django.db import transaction

from xinfang.audit.services import record

from .frameworks import framework_for
from .models import Evaluation, Indicator

OUTPUT = ["数量指标", "质量指标", "时效指标"]
BENEFIT = ["经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"]
SATISFACTION = ["服务对象满意度指标"]
COST = ["经济成本指标", "社会成本指标", "生态环境成本指标"]


def tree(cost_branch: str = "level1") -> dict[str, list[str]]:
    """一级 → its 二级 names."""
    if cost_branch == "output":
        return {"产出指标": [*OUTPUT, "成本指标"], "效益指标": BENEFIT, "满意度指标": SATISFACTION}
    return {"产出指标": OUTPUT, "效益指标": BENEFIT, "满意度指标": SATISFACTION, "成本指标": COST}


# (一级, 二级, 三级, operator, target, unit, binding, definition) — targets as seen in seeds 001 and 003.
STARTER = [
    ("产出指标", "数量指标", "区领导重点约访", ">=", "20", "名", "", "区领导年度约访重点信访人人数"),
    ("产出指标", "数量指标", "报送信访工作动态、信息及调研文章", ">=", "20", "篇", "", ""),
    ("产出指标", "数量指标", "信访业务培训场次", ">=", "4", "场", "", ""),
    ("产出指标", "数量指标", "涉稳涉访提醒函", ">=", "50", "份", "", "发出的涉稳涉访苗头隐患信息提醒函份数"),
    ("产出指标", "质量指标", "信访事项按期办结率", ">=", "98", "%", "on_time_conclusion_rate",
     "按期办结件数 / 办结期限在统计期内的信访事项数"),
    ("产出指标", "时效指标", "信访事项及时受理率", ">=", "98", "%", "timely_acceptance_rate",
     "及时受理件数 / 分流期限在统计期内的信访事项数"),
    ("产出指标", "时效指标", "信访案件按时转送交办率", ">=", "98", "%", "", ""),
    ("效益指标", "社会效益指标", "信访业务培训率", ">=", "95", "%", "", "参加培训信访工作人员人数 / 全区信访工作人员数"),
    ("效益指标", "可持续影响指标", "“最多访一次”按期办结率", "=", "100", "%", "", ""),
    ("满意度指标", "服务对象满意度指标", "群众满意率", ">=", "90", "%", "satisfaction_rate", "(满意 + 基本满意) / 已评价"),
]  # fmt: skip


@transaction.atomic
def add_starter_indicators(evaluation: Evaluation, *, actor=None) -> int:
    """Append the starter rows the evaluation lacks (by 三级 name); weights are left for the user to set."""
    existing = set(evaluation.indicators.values_list("level3", flat=True))
    start = evaluation.indicators.count()
    new = [
        Indicator(evaluation=evaluation, order=start + n, level1=l1, level2=l2, level3=l3, operator=op, target=t,
                  unit=u, binding=b, definition=d, data_source="信访信息系统" if b else "")
        for n, (l1, l2, l3, op, t, u, b, d) in enumerate(r for r in STARTER if r[2] not in existing)
    ]  # fmt: skip
    Indicator.objects.bulk_create(new)
    record("performance.starter_indicators", actor=actor, obj=evaluation, after={"added": len(new)})
    return len(new)


def misplaced(evaluation: Evaluation) -> list[str]:
    """Chinese notes for indicators whose 一级/二级 are not in the framework's tree."""
    fw = framework_for(evaluation.kind, evaluation.framework or None)
    allowed = tree(fw.cost_branch)
    notes = []
    for n, ind in enumerate(evaluation.indicators.all(), 1):
        if ind.level2 not in allowed.get(ind.level1, []):
            notes.append(
                f"第{n}项指标“{ind.level3}”：二级指标“{ind.level2}”不属于一级指标“{ind.level1}”（{fw.label}）"
            )
    return notes
