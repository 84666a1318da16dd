"""Saving, versioning and loading models. The shipped demo model lives in model/; retrained ones under VAR_DIR."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import joblib
from django.conf import settings
from django.db import DatabaseError

from . import encoder
from .classifier import TriageClassifier
from .errors import TriageError

SHIPPED_DIR = Path(__file__).with_name("model")
SHIPPED_MODEL = SHIPPED_DIR / "category_model.joblib"
SHIPPED_META = SHIPPED_DIR / "category_model.json"
_lock = threading.Lock()
_cache: dict[str, TriageClassifier] = {}


def model_dir() -> Path:
    path = Path(settings.XINFANG.get("TRIAGE_MODEL_DIR", Path(settings.VAR_DIR) / "triage"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def save(model: TriageClassifier, path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, path, compress=("xz", 6))
    return path.stat().st_size


def load(path: Path) -> TriageClassifier:
    key = str(path)
    with _lock:
        if key not in _cache:
            if not path.exists():
                raise TriageError(f"分类模型文件不存在：{path}")
            model = joblib.load(path)
            if not isinstance(model, TriageClassifier):
                raise TriageError(f"分类模型文件格式不正确：{path}")
            if model.uses_encoder:
                encoder.warm_up()
            _cache[key] = model
        return _cache[key]


def shipped_meta() -> dict:
    return json.loads(SHIPPED_META.read_text(encoding="utf-8")) if SHIPPED_META.exists() else {}


def active_model() -> tuple[TriageClassifier, str]:
    """The newest active retrained model, else the shipped demo model; returns (model, version)."""
    from .models import ModelVersion

    try:
        current = ModelVersion.objects.filter(is_active=True).order_by("-version").first()
    except DatabaseError:  # tables not migrated yet (e.g. triage_eval on a fresh checkout): the shipped model
        current = None
    if current is not None and Path(current.path).exists():
        return load(Path(current.path)), f"v{current.version}"
    return load(SHIPPED_MODEL), shipped_meta().get("version", "demo")


def clear_cache() -> None:
    with _lock:
        _cache.clear()
