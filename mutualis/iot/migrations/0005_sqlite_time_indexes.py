"""On SQLite, an index on the readings' time and on the hourly rollups' hour.

PostgreSQL has its BRIN indexes on them (0003_partitions). SQLite had none: the unique
(sensor, measure, time) cannot serve a window of time, so recomputing one hour's rollups read
the whole table, and rebuilding the demo's three months (2,232 hours) read it 2,232 times.
Not in the models' state: PostgreSQL must not get a B-tree beside its BRIN."""

from django.db import migrations

INDEXES = (
    ("iot_reading_time_sqlite", "iot_reading", "time"),
    ("iot_hourlyrollup_hour_sqlite", "iot_hourlyrollup", "hour"),
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name, table, column in INDEXES:
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ("{column}")')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("iot", "0004_hypervision_indexes")]

    operations = [migrations.RunPython(create, drop)]
