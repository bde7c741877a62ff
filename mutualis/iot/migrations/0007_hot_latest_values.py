"""The latest values (measures) and last emissions (sensors), which every ingestion batch
updates, are updated in place: no index on the columns updated, and on PostgreSQL pages left
with room (fillfactor) so that the new version of a row fits beside the old one (a HOT update,
which touches no index)."""

import django.db.models.deletion
from django.db import migrations, models

FILLFACTOR = 70
TABLES = ("iot_measure", "iot_sensor")


def fillfactor(apps, schema_editor, value: int = FILLFACTOR):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"ALTER TABLE {quote(table)} SET (fillfactor = {int(value)})")


def back(apps, schema_editor):
    fillfactor(apps, schema_editor, value=100)


class Migration(migrations.Migration):
    dependencies = [
        ("iot", "0006_rollup_fillfactor"),
    ]

    operations = [
        migrations.RunPython(fillfactor, back, elidable=False),
        migrations.RemoveIndex(
            model_name="measure",
            name="iot_measure_latest",
        ),
        migrations.RemoveIndex(
            model_name="sensor",
            name="iot_sensor_last_seen",
        ),
        migrations.AlterField(
            model_name="measure",
            name="sensor",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="measures",
                to="iot.sensor",
            ),
        ),
        migrations.AddIndex(
            model_name="measure",
            index=models.Index(fields=["quantity"], name="iot_measure_quantity"),
        ),
    ]
