"""Builders for exchange-format dicts used across the performance tests."""

import copy
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[2] / "xinfang" / "performance" / "fixtures"

BASE = {
    "format": "xinfang.self-evaluation/1",
    "organisation": "某区信访局",
    "year": 2025,
    "kind": "department",
    "project": None,
    "money_unit": "万元",
    "budget": {"initial": "300.00", "full_year": "320.00", "executed": "316.80"},
    "execution_weight": 10,
    "indicators": [],
}


def row(**fields) -> dict:
    out = {
        "level1": "产出指标", "level2": "数量指标", "level3": "区领导重点约访", "operator": ">=",
        "target": "20", "unit": "名", "actual": "25", "weight": 15, "claimed_score": None,
        "deviation_reason": "",
    }  # fmt: skip
    out.update(fields)
    return out


def evaluation(*rows, **top) -> dict:
    data = copy.deepcopy(BASE)
    data["indicators"] = list(rows)
    data.update(top)
    return data
