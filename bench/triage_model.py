"""Category model on the board data: training time, median suggestion latency, test figures vs the baseline.

Run: .venv/bin/python bench/triage_model.py   (needs ../shared/data/messages/). Prints `name: value unit` lines.
Pin to two cores with `taskset -c 0,1` to match the target machine.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.settings")

import django  # noqa: E402

django.setup()

from xinfang.triage import evaluation  # noqa: E402
from xinfang.triage.data import load_labelled  # noqa: E402


def main() -> None:
    data = ROOT.parent / "shared" / "data" / "messages"
    if not (data / "train.csv").exists():
        sys.exit(f"缺少留言数据：{data}")
    tx, ty = load_labelled(data / "train.csv")
    ex, ey = load_labelled(data / "test.csv")
    model, seconds = evaluation.train(tx, ty)
    result = evaluation.evaluate(model, ex, ey, latency_sample=len(ex))
    base = evaluation.baseline(tx, ty, ex, ey)
    print(f"train_seconds: {seconds:.1f} s")
    print(f"suggest_latency_median: {result.median_latency_ms:.2f} ms")
    print(f"suggest_latency_p90: {result.p90_latency_ms:.2f} ms")
    print(f"test_accuracy: {result.accuracy:.4f} ratio")
    print(f"test_macro_f1: {result.macro_f1:.4f} ratio")
    print(f"baseline_accuracy: {base.accuracy:.4f} ratio")
    print(f"baseline_macro_f1: {base.macro_f1:.4f} ratio")
    print(f"macro_f1_gain: {result.macro_f1 - base.macro_f1:+.4f} ratio")


if __name__ == "__main__":
    main()
