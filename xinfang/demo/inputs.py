"""Valid inputs for any row of the workflow table, on a given case and day.

The demo fills its forms with these, and the test that every offered action works uses them too: one
definition of "what a careful user would type" for each kind of field.
"""

from __future__ import annotations

import datetime
from typing import Any

from xinfang.cases.models import Case
from xinfang.cases.workflow import deadlines
from xinfang.cases.workflow.inputs import initial_values
from xinfang.cases.workflow.schema import Action
from xinfang.orgs.models import Organisation

TEXTS = {
    "request_text": "请求依法处理所反映的问题并书面答复。",
    "facts": "经调查核实，信访人反映的情况基本属实，承办单位已约谈相关责任方并现场核查。",
    "decision_text": "责令相关责任方限期整改，并将整改结果书面告知信访人。",
    "legal_basis": "《信访工作条例》第三十二条及相关法律法规规定。",
    "result_report": "交办事项已按期办结，现报送办结报告。",
    "reason": "情况复杂，需要进一步调查核实。",
    "answer": "经研究论证，该建议具有可行性，已纳入明年工作计划。",
    "feedback": "经核查，已依规依纪作出处理，现将办理情况予以反馈。",
    "agreement": "双方自愿达成协议：责任方于三十日内完成整改并赔偿相应损失。",
}
# The choice a careful user makes where the table offers several (never the bypass grounds).
CHOICES = {"ground": "other_procedure", "route": "31(4)", "decision": "support", "adoption": "adopted"}


def valid_inputs(
    action: Action,
    case: Case,
    on: datetime.date,
    *,
    unit: Organisation | None = None,
    target: Case | None = None,
) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for f in action.fields:
        if f.kind == "date":
            data[f.name] = _date(f.name, on)
        elif f.kind == "unit":
            data[f.name] = initial_values(action, case).get("body") if f.name == "body" else unit
        elif f.kind == "choice":
            data[f.name] = CHOICES.get(f.name) or f.choices[0][0]
        elif f.kind == "int":
            data[f.name] = 15
        elif f.kind == "case":
            data[f.name] = target.number if target is not None else ""
        elif f.kind in ("text", "textarea") and f.name in TEXTS:
            data[f.name] = TEXTS[f.name]
    return {k: v for k, v in data.items() if v not in (None, "")}


def _date(name: str, on: datetime.date) -> datetime.date:
    if name == "result_due":
        return min(on + datetime.timedelta(days=45), deadlines.assignment_cap(on).date)
    return on
