"""Load the default two-level content category tree (domain/petition.md §3.3, [R] configurable)."""

import csv
from pathlib import Path

from django.db import migrations

CSV = Path(__file__).resolve().parent.parent / "data" / "categories.csv"


def load(apps, schema_editor):
    Category = apps.get_model("cases", "Category")
    by_code = {}
    with CSV.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            parent = by_code.get(row["parent_code"]) if row["parent_code"] else None
            obj, _ = Category.objects.get_or_create(code=row["code"], defaults={"name": row["name"], "parent": parent})
            by_code[row["code"]] = obj


def unload(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_initial")]
    operations = [migrations.RunPython(load, unload)]
