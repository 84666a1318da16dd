"""The default content category tree (domain/petition.md §3.3; [R] configurable, importable)."""

from __future__ import annotations

import csv
from pathlib import Path

CSV = Path(__file__).resolve().parent / "data" / "categories.csv"


def load_default_categories(category_model=None) -> int:
    """Create missing categories from data/categories.csv; returns how many were created.

    Takes the model as an argument so the data migration can pass its historical model.
    """
    if category_model is None:
        from .models import Category as category_model
    by_code = {c.code: c for c in category_model.objects.all()}
    created = 0
    with CSV.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["code"] in by_code:
                continue
            parent = by_code.get(row["parent_code"]) if row["parent_code"] else None
            by_code[row["code"]] = category_model.objects.create(
                code=row["code"], name=row["name"], parent=parent
            )
            created += 1
    return created
