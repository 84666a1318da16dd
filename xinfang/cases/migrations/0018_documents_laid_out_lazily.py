"""Stage documents keep the values they show (`values`) and are laid out on first download: the stored .docx
column stays `content` in the database; the model calls it `rendered` (its `content` property renders)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0017_covering_recent_index")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RenameField(model_name="casedocument", old_name="content", new_name="rendered"),
                migrations.AlterField(
                    model_name="casedocument",
                    name="rendered",
                    field=models.BinaryField(blank=True, db_column="content", default=b""),
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterField(
            model_name="casedocument",
            name="sha256",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="casedocument",
            name="values",
            field=models.JSONField(blank=True, default=dict),
        ),
    ]
