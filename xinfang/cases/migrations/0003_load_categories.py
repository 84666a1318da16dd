"""Load the default two-level content category tree (domain/petition.md §3.3, [R] configurable)."""

from django.db import migrations


def load(apps, schema_editor):
    from xinfang.cases.categories import load_default_categories

    load_default_categories(apps.get_model("cases", "Category"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
