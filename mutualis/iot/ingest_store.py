"""The set-based writes of an ingestion batch.

PostgreSQL (`readings_store`): the batch's values are copied (COPY, text) into a temporary
table, then one statement moves them into the readings (`INSERT … ON CONFLICT DO NOTHING
RETURNING`: a redelivered value is not inserted again) and, from the rows really inserted,
folds the hourly and daily rollups, moves the measures' latest values and the sensors' last
emission forward (data-modifying CTEs, `rollups.fold_ctes`). Nothing goes back and forth
through Python but the COPY. SQLite: `executemany`, the rollups recomputed afterwards.

Rows are inserted and updated in the order of their keys, so that several workers never wait
on each other in a cycle.
"""

import datetime as dt

from django.conf import settings
from django.db import connection

from mutualis.iot import rollups
from mutualis.iot.models import Gateway, Reading, Sensor
from mutualis.iot.storage import retention_cutoff

_PG_STAGE = """
CREATE TEMPORARY TABLE IF NOT EXISTS iot_stage
  (s bigint, m bigint, t timestamptz, v double precision) ON COMMIT DELETE ROWS
"""
_PG_STORE = """
WITH staged AS (DELETE FROM iot_stage RETURNING s, m, t, v),
inserted AS (
  INSERT INTO {table} ({sensor}, {measure}, {time}, {value})
  SELECT s, m, t, v FROM staged ORDER BY s, m, t
  ON CONFLICT DO NOTHING
  RETURNING {sensor} AS s, {measure} AS m, {time} AS t, {value} AS v
),
kept AS (
  SELECT s, m, t, v FROM inserted
  WHERE %(cutoff)s::timestamptz IS NULL OR t >= %(cutoff)s::timestamptz
),
{folds},
sensors_seen AS (
  UPDATE {sensors} AS x SET {seen} = v.t
  FROM unnest(%(sensor_ids)s::bigint[], %(sensor_times)s::timestamptz[]) AS v(id, t)
  WHERE x.{pk} = v.id AND (x.{seen} IS NULL OR x.{seen} < v.t)
)
SELECT count(*) FROM inserted
"""

_PG_READINGS = """
INSERT INTO {table} ({sensor}, {measure}, {time}, {value})
SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::timestamptz[], %s::double precision[])
  AS r(s, m, t, v)
ORDER BY s, m, t
ON CONFLICT DO NOTHING
"""
_PG_SENSORS = """
UPDATE {table} AS s SET {seen} = v.t
FROM unnest(%s::bigint[], %s::timestamptz[]) AS v(id, t)
WHERE s.{pk} = v.id AND (s.{seen} IS NULL OR s.{seen} < v.t)
"""
_PG_GATEWAYS = """
UPDATE {table} AS g SET {seen} = v.t, {rssi} = v.rssi, {snr} = v.snr
FROM unnest(%s::text[], %s::timestamptz[], %s::integer[], %s::double precision[])
  AS v(eui, t, rssi, snr)
WHERE g.{eui} = v.eui AND (g.{seen} IS NULL OR g.{seen} < v.t)
"""
_LITE_READINGS = """
INSERT INTO {table} ({sensor}, {measure}, {time}, {value}) VALUES (%s, %s, %s, %s)
ON CONFLICT DO NOTHING
"""
_LITE_SENSORS = "UPDATE {table} SET {seen} = %s WHERE {pk} = %s AND ({seen} IS NULL OR {seen} < %s)"
_LITE_GATEWAYS = """
UPDATE {table} SET {seen} = %s, {rssi} = %s, {snr} = %s
WHERE {eui} = %s AND ({seen} IS NULL OR {seen} < %s)
"""


def _array(items) -> str:
    """A PostgreSQL array literal of numbers or ISO times (none needs quoting): one text
    parameter, far cheaper to send than a list adapted item by item."""
    return "{" + ",".join(items) + "}"


def _times(moments) -> str:
    return _array(m.isoformat() for m in moments)


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _columns(model, *names: str) -> dict[str, str]:
    return {
        "table": _q(model._meta.db_table),
        **{name: _q(model._meta.get_field(name).column) for name in names},
    }


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _moment(value: dt.datetime) -> str:
    """A time as Django stores it in SQLite: naive UTC text."""
    return str(value.astimezone(dt.UTC).replace(tzinfo=None))


Row = tuple[int, int, dt.datetime, float]  # sensor_id, measure_id, time, value


def copy_rows(
    cursor,
    table: str,
    sensor_ids: list[int],
    measure_ids: list[int],
    times: list[dt.datetime],
    values: list[float],
) -> None:
    """PostgreSQL: COPY of the rows into `table`'s four first columns (readings' order), as
    text built at once (a batch's times repeat: each written once)."""
    text: dict[dt.datetime, str] = {}
    for moment in times:
        if moment not in text:
            text[moment] = moment.isoformat()
    body = "".join(
        [
            f"{s}\t{m}\t{text[t]}\t{v!r}\n"
            for s, m, t, v in zip(sensor_ids, measure_ids, times, values, strict=True)
        ]
    )
    with cursor.copy(f"COPY {table} FROM STDIN") as copy:
        copy.write(body)


def readings_store(
    sensor_ids: list[int],
    measure_ids: list[int],
    times: list[dt.datetime],
    values: list[float],
    seen: dict[int, dt.datetime],
) -> int:
    """PostgreSQL, in the caller's transaction: inserts the readings (a (sensor, measure,
    time) already there left as it is), folds the ones really inserted into the rollups
    (values before the raw retention are stored, not folded, as `rollups_refresh` does), and
    moves the sensors' last emission forward. Returns the number of readings inserted."""
    cutoff = retention_cutoff(settings.IOT_RAW_RETENTION_DAYS)
    rollups.lock_buckets({rollups.hour_of(t) for t in set(times) if cutoff is None or t >= cutoff})
    names = _columns(Reading, "sensor", "measure", "time", "value")
    sensor = _columns(Sensor, "last_seen_at")
    ids = sorted(seen)
    with connection.cursor() as cursor:
        cursor.execute(_PG_STAGE)
        if values:
            copy_rows(cursor, "iot_stage", sensor_ids, measure_ids, times, values)
        cursor.execute(
            _PG_STORE.format(
                folds=rollups.fold_ctes("kept"),
                sensors=sensor["table"],
                seen=sensor["last_seen_at"],
                pk=_q(Sensor._meta.pk.column),
                **names,
            ),
            {
                "cutoff": cutoff,
                "zone": settings.TIME_ZONE,
                "sensor_ids": _array(map(str, ids)),
                "sensor_times": _times(seen[pk] for pk in ids),
            },
        )
        return cursor.fetchone()[0]


def readings_insert(
    sensor_ids: list[int], measure_ids: list[int], times: list[dt.datetime], values: list[float]
) -> None:
    """Inserts the readings, a (sensor, measure, time) already there left as it is, without
    touching the rollups (SQLite's ingestion, which recomputes them afterwards; a history
    loaded in bulk)."""
    if not values:
        return
    names = _columns(Reading, "sensor", "measure", "time", "value")
    with connection.cursor() as cursor:
        if _postgres():
            cursor.execute(
                _PG_READINGS.format(**names),
                [sensor_ids, measure_ids, times, values],
            )
            return
        text: dict[dt.datetime, str] = {}  # a batch's times repeat: each converted once
        for moment in times:
            if moment not in text:
                text[moment] = _moment(moment)
        cursor.executemany(
            _LITE_READINGS.format(**names),
            [
                (s, m, text[t], v)
                for s, m, t, v in zip(sensor_ids, measure_ids, times, values, strict=True)
            ],
        )


def sensors_seen(seen: dict[int, dt.datetime]) -> None:
    """Moves each sensor's last emission forward (never back: a late uplink leaves it)."""
    if not seen:
        return
    names = _columns(Sensor, "last_seen_at")
    names.update(pk=_q(Sensor._meta.pk.column), seen=names.pop("last_seen_at"))
    ids = sorted(seen)
    with connection.cursor() as cursor:
        if _postgres():
            cursor.execute(
                _PG_SENSORS.format(**names),
                [_array(map(str, ids)), _times(seen[pk] for pk in ids)],
            )
        else:
            cursor.executemany(
                _LITE_SENSORS.format(**names),
                [(_moment(seen[pk]), pk, _moment(seen[pk])) for pk in ids],
            )


def gateways_seen(
    seen: dict[str, tuple[dt.datetime, int | None, float | None]], known: set[str] | None = None
) -> None:
    """Each gateway's latest sighting and signal; a gateway not yet known is registered
    (operator's, named by its identifier) for the operator to complete. `known`: identifiers
    already registered, kept by a long-running caller (not looked up again)."""
    if not seen:
        return
    if known is None or not known.issuperset(seen):
        existing = set(Gateway.objects.filter(eui__in=seen).values_list("eui", flat=True))
        if len(existing) < len(seen):
            Gateway.objects.bulk_create(
                [Gateway(eui=eui) for eui in sorted(seen) if eui not in existing],
                ignore_conflicts=True,
            )
    names = _columns(Gateway, "eui", "last_seen_at", "last_rssi", "last_snr")
    names.update(seen=names.pop("last_seen_at"), rssi=names.pop("last_rssi"))
    names["snr"] = names.pop("last_snr")
    euis = sorted(seen)
    with connection.cursor() as cursor:
        if _postgres():
            cursor.execute(
                _PG_GATEWAYS.format(**names),
                [
                    euis,
                    [seen[e][0] for e in euis],
                    [seen[e][1] for e in euis],
                    [seen[e][2] for e in euis],
                ],
            )
        else:
            cursor.executemany(
                _LITE_GATEWAYS.format(**names),
                [
                    (_moment(seen[e][0]), seen[e][1], seen[e][2], e, _moment(seen[e][0]))
                    for e in euis
                ],
            )
