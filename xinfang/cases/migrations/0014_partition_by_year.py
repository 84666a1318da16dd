"""PostgreSQL: the cases and their events become tables partitioned by registration year (xinfang/core/partitions.py).

On a database with rows, the rows are copied into the new tables inside this migration's transaction; a large
database should run it in a maintenance window (docs/deploy.md). SQLite is unchanged.
"""

from django.db import migrations
from django.utils import timezone

from xinfang.core import partitions


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    partitions.install_functions(connection)
    this_year = timezone.localdate().year
    for table, key in partitions.PARTITIONED.items():
        partitions.partition_table(table, key, {this_year, this_year + 1}, connection)


class Migration(migrations.Migration):
    dependencies = [("cases", "0013_event_case_year")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
