from django.db import migrations, models


class Migration(migrations.Migration):
    """Each event carries its case's registration year: the partition key of the events on PostgreSQL."""

    dependencies = [("cases", "0012_registrar_queue_index")]

    operations = [
        migrations.AddField(
            model_name="caseevent",
            name="case_year",
            field=models.PositiveSmallIntegerField(editable=False, null=True, verbose_name="登记年度"),
        ),
        migrations.RunSQL(
            "UPDATE cases_caseevent SET case_year = "
            "(SELECT year FROM cases_case WHERE cases_case.id = cases_caseevent.case_id)",
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="caseevent",
            name="case_year",
            field=models.PositiveSmallIntegerField(editable=False, verbose_name="登记年度"),
        ),
    ]
