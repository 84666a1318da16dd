"""Retraining from the bureau's recorded choices, and building the shipped demo model from a CSV."""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from . import evaluation, store
from .data import load_labelled
from .errors import TriageError
from .models import ModelVersion, RecordedChoice

MIN_CHOICES = 20
MIN_PER_CATEGORY = 2


def recorded_dataset() -> tuple[list[str], list[str]]:
    """Texts and category codes of recorded choices; the label set is the bureau's own categories."""
    rows = list(RecordedChoice.objects.select_related("category").values_list("text", "category__code"))
    counts = Counter(code for _, code in rows)
    rows = [(t, c) for t, c in rows if counts[c] >= MIN_PER_CATEGORY]
    return [t for t, _ in rows], [c for _, c in rows]


def _holdout_split(texts: list[str], labels: list[str], share: float = 0.2) -> tuple[list[int], list[int]]:
    by_label: dict[str, list[int]] = {}
    for i, lab in enumerate(labels):
        by_label.setdefault(lab, []).append(i)
    rng = random.Random(0)
    train_idx, test_idx = [], []
    for idx in by_label.values():
        rng.shuffle(idx)
        n_test = int(len(idx) * share) if len(idx) >= 5 else 0
        test_idx += idx[:n_test]
        train_idx += idx[n_test:]
    return train_idx, test_idx


def retrain_from_choices(actor=None) -> ModelVersion:
    """Fit a new version on recorded choices, evaluate it on a 20 % hold-out, then refit on all and activate it."""
    texts, labels = recorded_dataset()
    if len(texts) < MIN_CHOICES or len(set(labels)) < 2:
        raise TriageError(
            f"已记录的分办选择不足：需要至少 {MIN_CHOICES} 条且覆盖两个以上分类（现有 {len(texts)} 条，"
            f"{len(set(labels))} 个分类）"
        )
    train_idx, test_idx = _holdout_split(texts, labels)
    result: dict = {"holdout": None}
    if test_idx and len({labels[i] for i in train_idx}) >= 2:
        probe, _ = evaluation.train([texts[i] for i in train_idx], [labels[i] for i in train_idx])
        result["holdout"] = evaluation.evaluate(
            probe, [texts[i] for i in test_idx], [labels[i] for i in test_idx], latency_sample=50
        ).as_dict()
    model, seconds = evaluation.train(texts, labels)
    result["train_seconds"] = round(seconds, 2)
    result["encoder"], result["encoder_weight"] = model.encoder_name, model.blend
    with transaction.atomic():
        version = (ModelVersion.objects.aggregate(m=Max("version"))["m"] or 0) + 1
        path = store.model_dir() / f"category_model_v{version}.joblib"
        store.save(model, path)
        ModelVersion.objects.filter(is_active=True).update(is_active=False)
        mv = ModelVersion.objects.create(
            version=version,
            path=str(path),
            source="recorded_choices",
            n_train=len(texts),
            labels=model.labels,
            evaluation=result,
            is_active=True,
            created_by=actor,
        )
        from xinfang.audit.services import record

        record("triage.model_trained", actor=actor, obj=mv, after={"version": version, "n_train": len(texts)})
    return mv


def build_shipped(train_csv: Path, test_csv: Path | None = None) -> dict:
    """Train the demo model on a board CSV, write it under model/ with its version and evaluation."""
    texts, labels = load_labelled(train_csv)
    model, seconds = evaluation.train(texts, labels)
    size = store.save(model, store.SHIPPED_MODEL)
    meta = {
        "version": timezone.now().strftime("demo-%Y%m%d%H%M"),
        "trained_on": Path(train_csv).name,
        "n_train": len(texts),
        "labels": model.labels,
        "train_seconds": round(seconds, 2),
        "encoder": model.encoder_name,
        "encoder_weight": model.blend,
        "file_bytes": size,
    }
    if test_csv is not None:
        tx, ty = load_labelled(test_csv)
        meta["evaluation"] = {"on": Path(test_csv).name, **evaluation.evaluate(model, tx, ty).as_dict()}
        meta["baseline_char_tfidf_svm"] = {
            "on": Path(test_csv).name,
            **evaluation.baseline(texts, labels, tx, ty).as_dict(),
        }
    store.SHIPPED_META.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    store.clear_cache()
    return meta
