"""Category model by repeated stratified 5-fold CV on train.csv: the NB-SVM alone, the encoder blend always on,
and the blend as shipped (encoder only where the NB-SVM is unsure), with the share of letters that skip the
encoder; plus the encoder's median cost per letter.

Run: .venv/bin/python bench/triage_cv.py [--repeats 3]   (needs ../shared/data/messages/; ~2 min a repeat).
Prints `name: value unit` lines. The model choices in xinfang/triage/README.md were made on these figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.settings")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from sklearn.metrics import accuracy_score, f1_score  # noqa: E402
from sklearn.model_selection import StratifiedKFold  # noqa: E402

from xinfang.triage import classifier, encoder  # noqa: E402
from xinfang.triage.data import load_labelled  # noqa: E402


def _figures(truth: np.ndarray, predicted: np.ndarray) -> tuple[float, float]:
    return f1_score(truth, predicted, average="macro"), accuracy_score(truth, predicted)


def cross_validate(texts: list[str], labels: np.ndarray, repeats: int) -> None:
    with encoder.BackgroundEncoding(texts) as pending:  # both cores; the vectors serve every fold
        vectors = pending.result()
    runs: dict[str, list[tuple[float, float]]] = {"sparse_only": [], "blend_always": [], "blend_shipped": []}
    skipped = []
    for seed in range(repeats):
        for tr, te in StratifiedKFold(5, shuffle=True, random_state=seed).split(texts, labels):
            model = classifier.TriageClassifier().fit(
                [texts[i] for i in tr], list(labels[tr]), embeddings=vectors[tr]
            )
            held = [texts[i] for i in te]
            x = model.features(held)
            names = np.array(model.labels)
            sparse = classifier._log_softmax(model.scores(x) * model.temperature)
            always = classifier._log_softmax(
                (1 - model.blend) * sparse
                + model.blend
                * classifier._dense_log_probs(model.dense_coef, model.dense_intercept, vectors[te])
            )
            shipped = model.log_probabilities(held, x)
            runs["sparse_only"].append(_figures(labels[te], names[sparse.argmax(axis=1)]))
            runs["blend_always"].append(_figures(labels[te], names[always.argmax(axis=1)]))
            runs["blend_shipped"].append(_figures(labels[te], names[shipped.argmax(axis=1)]))
            skipped.append(float((np.exp(sparse).max(axis=1) >= classifier.CASCADE_CONFIDENCE).mean()))
    for name, figures in runs.items():
        f1, acc = np.mean(figures, axis=0)
        print(f"cv_{name}_macro_f1: {f1:.4f} ratio")
        print(f"cv_{name}_accuracy: {acc:.4f} ratio")
    print(f"cv_folds: {len(skipped)} count")
    print(f"cv_share_skipping_encoder: {np.mean(skipped):.3f} ratio")


def encoder_cost(texts: list[str]) -> None:
    encoder.warm_up()
    timings = []
    for t in texts[:200]:
        start = time.perf_counter()
        encoder.encode([t])
        timings.append((time.perf_counter() - start) * 1000)
    print(f"encoder_ms_per_letter_median: {statistics.median(timings):.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    data = ROOT.parent / "shared" / "data" / "messages"
    if not (data / "train.csv").exists():
        sys.exit(f"缺少留言数据：{data}")
    texts, labels = load_labelled(data / "train.csv")
    encoder_cost(texts)
    cross_validate(texts, np.asarray(labels), args.repeats)


if __name__ == "__main__":
    main()
