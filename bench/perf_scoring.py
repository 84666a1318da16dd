"""Scoring + findings throughput on a large self-evaluation (plain Python, no database).

Prints `name: value unit` lines; the reference is json.loads of the same document in the same run.
Usage: .venv/bin/python bench/perf_scoring.py [indicators]
"""

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from xinfang.performance.exchange import parse
from xinfang.performance.results import as_json, run


def document(n: int) -> str:
    rows = []
    for i in range(n):
        kind = i % 3
        rows.append({
            "level1": "产出指标", "level2": "数量指标", "level3": f"指标{i}",
            "operator": [">=", "<=", "qualitative"][kind], "target": "20" if kind < 2 else "效果明显",
            "unit": "名" if kind < 2 else "", "actual": str(10 + i % 20) if kind < 2 else "较好",
            "grade": "部分达成" if kind == 2 else None, "weight": "0.9", "claimed_score": "0.8",
            "deviation_reason": "" if i % 5 else "原因",
        })  # fmt: skip
    return json.dumps({"format": "xinfang.self-evaluation/1", "organisation": "某区信访局", "year": 2025,
                       "kind": "department", "budget": {"initial": "300", "full_year": "320", "executed": "316.8"},
                       "indicators": rows}, ensure_ascii=False)  # fmt: skip


def per_second(fn, text: str, seconds: float = 1.0) -> float:
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        fn(text)
        count += 1
    return count / (time.perf_counter() - start)


def evaluate(text: str) -> dict:
    ev = parse(json.loads(text))
    return as_json(ev, *run(ev))


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    text = document(n)
    ours, ref = per_second(evaluate, text), per_second(json.loads, text)
    print(f"perf_evaluate_{n}_indicators: {ours:.1f} evaluations/s")
    print(f"json_loads_reference_{n}_indicators: {ref:.1f} loads/s")
    print(f"perf_evaluate_vs_json_loads: {ref / ours:.1f} x slower")
