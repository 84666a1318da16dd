"""Evaluation: per-class F1, accuracy, macro-F1, median suggestion latency, and the char TF-IDF + SVM baseline."""

from __future__ import annotations

import statistics
import time
from dataclasses import asdict, dataclass

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import accuracy_score, f1_score
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

from .classifier import TriageClassifier


@dataclass
class Evaluation:
    accuracy: float
    macro_f1: float
    per_class_f1: dict[str, float]
    n_test: int
    median_latency_ms: float | None = None
    p90_latency_ms: float | None = None
    train_seconds: float | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def score(truth: list[str], predicted: list[str]) -> Evaluation:
    labels = sorted(set(truth) | set(predicted))
    per_class = f1_score(truth, predicted, labels=labels, average=None, zero_division=0)
    return Evaluation(
        accuracy=float(accuracy_score(truth, predicted)),
        macro_f1=float(
            f1_score(truth, predicted, labels=sorted(set(truth)), average="macro", zero_division=0)
        ),
        per_class_f1={lab: round(float(f), 4) for lab, f in zip(labels, per_class, strict=True)},
        n_test=len(truth),
    )


def evaluate(
    model: TriageClassifier, texts: list[str], labels: list[str], latency_sample: int = 200
) -> Evaluation:
    result = score(labels, model.predict(texts))
    timings = []
    for t in texts[:latency_sample]:
        start = time.perf_counter()
        model.suggest(t)
        timings.append((time.perf_counter() - start) * 1000)
    if timings:
        result.median_latency_ms = round(statistics.median(timings), 3)
        # The tail: letters the sparse model is unsure of also run the sentence encoder.
        result.p90_latency_ms = (
            round(statistics.quantiles(timings, n=10)[-1], 3) if len(timings) > 1 else None
        )
    return result


def baseline(
    train_texts: list[str], train_labels: list[str], texts: list[str], labels: list[str]
) -> Evaluation:
    """The reference: character 1–3-gram TF-IDF with a linear SVM on the raw text."""
    pipe = make_pipeline(TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True), LinearSVC())
    pipe.fit(train_texts, train_labels)
    return score(labels, list(pipe.predict(texts)))


def train(texts: list[str], labels: list[str]) -> tuple[TriageClassifier, float]:
    start = time.perf_counter()
    model = TriageClassifier().fit(texts, labels)
    return model, time.perf_counter() - start
