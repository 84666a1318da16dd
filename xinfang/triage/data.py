"""Reading the message CSVs (columns id, label, text)."""

from __future__ import annotations

import csv
from pathlib import Path

from .errors import TriageError


def load_labelled(path: str | Path) -> tuple[list[str], list[str]]:
    path = Path(path)
    if not path.exists():
        raise TriageError(f"数据文件不存在：{path}")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"label", "text"} - set(reader.fieldnames or [])
        if missing:
            raise TriageError(f"数据文件 {path.name} 缺少列：{'、'.join(sorted(missing))}")
        rows = [r for r in reader if r["text"] and r["label"]]
    return [r["text"] for r in rows], [r["label"] for r in rows]
