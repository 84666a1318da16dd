"""Drop the two former models once their rows live in Letter (0003)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("supervision", "0003_merge_letters_data")]

    operations = [
        migrations.RemoveField(
            model_name='supervisionletter',
            name='case',
        ),
        migrations.RemoveField(
            model_name='supervisionletter',
            name='issued_by',
        ),
        migrations.RemoveField(
            model_name='supervisionletter',
            name='unit',
        ),
        migrations.DeleteModel(
            name='Recommendation',
        ),
        migrations.DeleteModel(
            name='SupervisionLetter',
        ),
    ]
