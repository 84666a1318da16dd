"""Stored repeat hints named the earlier case (number and title), which a reader of the new case may not be
allowed to see. Rewrite them to the neutral wording the service now stores; the link stays in the
registration event's data (earlier_case) and is rendered per reader."""

import re

from django.db import migrations

NAMED = re.compile(r"曾于\d{4}-\d{2}-\d{2}登记XF-\d{4}-\d{6}“.*?”，")


def scrub(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    CaseEvent = apps.get_model("cases", "CaseEvent")
    for model, field in ((Case, "repeat_reason"), (CaseEvent, "note")):
        for pk, text in model.objects.filter(**{f"{field}__contains": "登记XF-"}).values_list("pk", field):
            model.objects.filter(pk=pk).update(**{field: NAMED.sub("有在先信访件，", text)})


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_outcome_completed_recusal")]

    operations = [migrations.RunPython(scrub, migrations.RunPython.noop)]
