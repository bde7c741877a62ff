"""On PostgreSQL, the readings and the hourly rollups become monthly RANGE-partitioned
tables (mutualis/iot/storage.py). Its own migration: the foreign keys and indexes Django
defers to the end of 0002 exist by now, and are carried over. SQLite is left as it is."""

from django.db import migrations


def partition(apps, schema_editor):
    """On PostgreSQL: the readings and hourly rollups become monthly partitioned tables
    (mutualis/iot/storage.py says why and how). SQLite keeps plain tables."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    from django.utils import timezone

    from mutualis.iot import storage

    today = timezone.now().date()
    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(time) FROM iot_reading")
        first = cursor.fetchone()[0]
    start = min(first.date(), today) if first else today
    last = today
    for _ in range(3):
        last = storage.next_month(last.replace(day=1))
    months = storage.months_between(start, last)
    storage.partition_table("iot_reading", "time", months, connection)
    storage.partition_table("iot_hourlyrollup", "hour", months, connection)


def unpartition(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    from mutualis.iot import storage

    storage.unpartition_table("iot_hourlyrollup", connection)
    storage.unpartition_table("iot_reading", connection)



class Migration(migrations.Migration):
    dependencies = [("iot", "0002_storage")]

    operations = [migrations.RunPython(partition, unpartition, elidable=False)]
