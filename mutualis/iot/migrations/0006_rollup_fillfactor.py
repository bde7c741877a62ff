"""On PostgreSQL, the rollup tables leave room in their pages (storage.ROLLUP_FILLFACTOR): each
ingestion batch updates their rows in place, and an update that fits in its page touches no
index (HOT). New hourly partitions get it at creation (storage.py)."""

from django.db import migrations


def fillfactor(apps, schema_editor, value: int | None = None):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    from mutualis.iot import storage

    value = value or storage.ROLLUP_FILLFACTOR
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = to_regclass('iot_hourlyrollup')"
        )
        tables = [row[0] for row in cursor.fetchall()] + ["iot_dailyrollup"]
        for table in tables:
            cursor.execute(f"ALTER TABLE {quote(table)} SET (fillfactor = {int(value)})")


def back(apps, schema_editor):
    fillfactor(apps, schema_editor, value=100)


class Migration(migrations.Migration):
    dependencies = [("iot", "0005_sqlite_time_indexes")]

    operations = [migrations.RunPython(fillfactor, back, elidable=False)]
