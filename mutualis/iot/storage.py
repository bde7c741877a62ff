# ruff: noqa: S608 — table and column names come from PARTITIONED (constants), quoted.
"""Storage that grows: monthly partitions of the readings on PostgreSQL, and retention.

On PostgreSQL the readings (`iot_reading`, on `time`) and the hourly rollups
(`iot_hourlyrollup`, on `hour`) are native RANGE-partitioned tables, one partition a month
(`iot_reading_p202612`), plus a DEFAULT partition that takes what falls outside them (a
device whose clock is wrong, a very late uplink) so that an insert never fails. The primary
key there is (id, time): a partitioned table's unique keys must hold the partition key. A
BRIN index on the time serves the scans by period (throughput of the last hour, retention).

`storage_maintain()` — run daily by `mutualis iot storage` (a systemd timer or cron) or queued
as the task `iot.tasks.storage_maintain_task` — creates the partitions of the coming months and
of the months the DEFAULT partition holds rows of (a history loaded afterwards), moving those
rows into them, then applies the retention:
raw values older than IOT_RAW_RETENTION_DAYS (hourly rollups: IOT_HOURLY_RETENTION_DAYS) go,
by whole partitions on PostgreSQL, by rows on SQLite. Daily rollups are kept.
"""

import datetime as dt
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection as default_connection
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

# table → partition key column
PARTITIONED: dict[str, str] = {"iot_reading": "time", "iot_hourlyrollup": "hour"}
# The rollups are updated in place after each batch: pages left with room let PostgreSQL
# write the new version of a row beside the old one without touching the indexes (HOT).
ROLLUP_FILLFACTOR = 70
_STORAGE = {"iot_hourlyrollup": f" WITH (fillfactor = {ROLLUP_FILLFACTOR})"}
PARTITION_NAME = re.compile(r"^(?P<table>\w+)_p(?P<year>\d{4})(?P<month>\d{2})$")


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first days of the months from `first`'s to `last`'s, both included."""
    months, month = [], month_start(first)
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def _bound(month: dt.date) -> dt.datetime:
    return dt.datetime(month.year, month.month, 1, tzinfo=dt.UTC)


def partition_name(table: str, month: dt.date) -> str:
    return f"{table}_p{month:%Y%m}"


def is_partitioned(table: str, connection=default_connection) -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [table])
        row = cursor.fetchone()
    return row is not None and row[0] == "p"


def partitions(table: str, connection=default_connection) -> dict[dt.date, str]:
    """The monthly partitions of the table, by their month (the DEFAULT one left out)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = to_regclass(%s)",
            [table],
        )
        names = [row[0] for row in cursor.fetchall()]
    found = {}
    for name in names:
        match = PARTITION_NAME.match(name)
        if match and match["table"] == table:
            found[dt.date(int(match["year"]), int(match["month"]), 1)] = name
    return found


def partition_table(table: str, column: str, months: Iterable[dt.date], connection) -> None:
    """Turns a plain table Django created into a partitioned one, keeping its rows, its
    constraint and index names, and its foreign keys (PostgreSQL only; the migration's
    part). The primary key becomes (id, column); `id` takes its values from a sequence."""
    if is_partitioned(table, connection):
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = to_regclass(%s) AND contype IN ('u', 'f') ORDER BY contype, conname",
            [table],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i WHERE i.indrelid = "
            "to_regclass(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint k "
            "WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid)",
            [table],
        )
        indexes = [row[0] for row in cursor.fetchall()]
        old = f"{table}_unpartitioned"
        cursor.execute(f"ALTER TABLE {quote(table)} RENAME TO {quote(old)}")
        cursor.execute(
            f"CREATE TABLE {quote(table)} (LIKE {quote(old)} INCLUDING DEFAULTS) "
            f"PARTITION BY RANGE ({quote(column)})"
        )
        cursor.execute(
            f"CREATE TABLE {quote(table + '_default')} PARTITION OF {quote(table)} DEFAULT"
            + _STORAGE.get(table, "")
        )
        for month in months:
            _create_partition(cursor, table, month, quote)
        cursor.execute(f"INSERT INTO {quote(table)} SELECT * FROM {quote(old)}")
        cursor.execute(f"DROP TABLE {quote(old)}")
        sequence = f"{table}_id_seq"
        cursor.execute(f"CREATE SEQUENCE {quote(sequence)} OWNED BY {quote(table)}.id")
        cursor.execute(
            f"SELECT setval(%s, COALESCE((SELECT MAX(id) FROM {quote(table)}), 0) + 1, false)",
            [sequence],
        )
        cursor.execute(
            f"ALTER TABLE {quote(table)} ALTER COLUMN id SET DEFAULT nextval(%s::regclass)",
            [sequence],
        )
        cursor.execute(
            f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(table + '_pkey')} "
            f"PRIMARY KEY (id, {quote(column)})"
        )
        for name, definition in constraints:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
        for definition in indexes:
            cursor.execute(definition)
        cursor.execute(
            f"CREATE INDEX {quote(table + '_' + column + '_brin')} ON {quote(table)} "
            f"USING brin ({quote(column)})"
        )


def unpartition_table(table: str, connection) -> None:
    """The migration's way back: a plain table again, with the same rows."""
    if not is_partitioned(table, connection):
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = to_regclass(%s) AND contype IN ('u', 'f') ORDER BY contype, conname",
            [table],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = to_regclass(%s) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint k "
            "WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid)",
            [table],
        )
        indexes = [d for name, d in cursor.fetchall() if not name.endswith("_brin")]
        old = f"{table}_partitioned"
        cursor.execute(f"ALTER TABLE {quote(table)} RENAME TO {quote(old)}")
        cursor.execute(f"CREATE TABLE {quote(table)} (LIKE {quote(old)} INCLUDING DEFAULTS)")
        cursor.execute(f"ALTER TABLE {quote(table)} ALTER COLUMN id DROP DEFAULT")
        cursor.execute(f"INSERT INTO {quote(table)} SELECT * FROM {quote(old)}")
        cursor.execute(f"DROP TABLE {quote(old)} CASCADE")
        cursor.execute(
            f"ALTER TABLE {quote(table)} ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY"
        )
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {quote(table)}), 0) + 1, false)",
            [table],
        )
        cursor.execute(f"ALTER TABLE {quote(table)} ADD PRIMARY KEY (id)")
        for name, definition in constraints:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
        for definition in indexes:
            cursor.execute(definition)


def _create_partition(cursor, table: str, month: dt.date, quote) -> None:
    cursor.execute(
        f"CREATE TABLE {quote(partition_name(table, month))} PARTITION OF {quote(table)} "
        f"FOR VALUES FROM (%s) TO (%s)" + _STORAGE.get(table, ""),
        [_bound(month), _bound(next_month(month))],
    )


def default_months(table: str, connection=default_connection) -> set[dt.date]:
    """The months the DEFAULT partition holds rows of (each gets its partition)."""
    column = connection.ops.quote_name(PARTITIONED[table])
    default = connection.ops.quote_name(table + "_default")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT date_trunc('month', {column} AT TIME ZONE 'UTC') FROM {default}"
        )
        return {row[0].date() for row in cursor.fetchall()}


def partitions_create(
    table: str, months: Iterable[dt.date], connection=default_connection
) -> list[str]:
    """Creates the missing partitions of these months; rows the DEFAULT partition held for
    one of them move into it. Returns the names created."""
    column = PARTITIONED[table]
    quote = connection.ops.quote_name
    existing = partitions(table, connection)
    created = []
    for month in sorted(set(months) - set(existing)):
        default = quote(table + "_default")
        low, high = _bound(month), _bound(next_month(month))
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE iot_moved AS WITH moved AS "
                f"(DELETE FROM {default} WHERE {quote(column)} >= %s AND {quote(column)} < %s "
                f"RETURNING *) SELECT * FROM moved",
                [low, high],
            )
            _create_partition(cursor, table, month, quote)
            cursor.execute(f"INSERT INTO {quote(table)} SELECT * FROM iot_moved")
            cursor.execute("DROP TABLE iot_moved")
        created.append(partition_name(table, month))
    return created


def retention_cutoff(days: int, now: dt.datetime | None = None) -> dt.datetime | None:
    """Values before this moment go (midnight UTC, `days` days ago); None: kept forever."""
    if days <= 0:
        return None
    moment = (now or timezone.now()) - dt.timedelta(days=days)
    return dt.datetime(moment.year, moment.month, moment.day, tzinfo=dt.UTC)


def retention_apply(table: str, cutoff: dt.datetime, connection=default_connection) -> list[str]:
    """Drops the values before `cutoff`: on a partitioned table, the partitions that end by
    then (a month goes whole, once all of it is past), and the DEFAULT partition's rows;
    elsewhere the rows. Returns what was dropped."""
    column = PARTITIONED[table]
    quote = connection.ops.quote_name
    dropped = []
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if is_partitioned(table, connection):
            # Deferred foreign key checks of rows written earlier in the transaction would
            # forbid the DROP: they are made now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for month, name in sorted(partitions(table, connection).items()):
                if _bound(next_month(month)) <= cutoff:
                    cursor.execute(f"DROP TABLE {quote(name)}")
                    dropped.append(name)
            cursor.execute(
                f"DELETE FROM {quote(table + '_default')} WHERE {quote(column)} < %s", [cutoff]
            )
        else:
            cursor.execute(f"DELETE FROM {quote(table)} WHERE {quote(column)} < %s", [cutoff])
            if cursor.rowcount:
                dropped.append(f"{table}: {cursor.rowcount}")
    return dropped


@dataclass
class StorageReport:
    created: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


def storage_maintain(
    *,
    now: dt.datetime | None = None,
    months_ahead: int | None = None,
    connection=default_connection,
) -> StorageReport:
    """Partitions for this month and the next `months_ahead` (IOT_PARTITION_MONTHS_AHEAD),
    then the retention of raw values and hourly rollups. Idempotent."""
    now = now or timezone.now()
    ahead = settings.IOT_PARTITION_MONTHS_AHEAD if months_ahead is None else months_ahead
    report = StorageReport()
    this_month = month_start(now.astimezone(dt.UTC).date())
    months = [this_month]
    for _ in range(ahead):
        months.append(next_month(months[-1]))
    for table in PARTITIONED:
        if is_partitioned(table, connection):
            held = default_months(table, connection)  # a backfill, clocks gone wrong
            report.created += partitions_create(table, set(months) | held, connection)
    for table, days in (
        ("iot_reading", settings.IOT_RAW_RETENTION_DAYS),
        ("iot_hourlyrollup", settings.IOT_HOURLY_RETENTION_DAYS),
    ):
        cutoff = retention_cutoff(days, now)
        if cutoff is not None:
            report.dropped += retention_apply(table, cutoff, connection)
    if report.created or report.dropped:
        logger.info("iot storage: created %s, dropped %s", report.created, report.dropped)
    return report
