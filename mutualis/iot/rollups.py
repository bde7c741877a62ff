"""Hourly and daily rollups of the readings, kept up to date after each ingestion batch.

Both tables are the same code driven by a :class:`RollupSpec` (`HOURLY`, `DAILY`): the bucket,
what a bucket is recomputed from (an hour from the readings, a day — in TIME_ZONE — from its
hourly rollups), its advisory lock, and the bucket of a time in SQL.

On PostgreSQL the ingestion does not recompute: the statement that inserts a batch's readings
carries `fold_ctes()`, data-modifying CTEs that fold the rows the insert really wrote
(redelivered ones left out) into their hourly and daily rollups, one upsert per table (counts
and sums added, min/max widened, the last value taken when later), and move each measure's
latest value forward. Each upsert is atomic per row and writes its rows in the order of their
keys, so that concurrent workers neither lose a count nor deadlock; the batch first takes the
advisory locks of `rollups_refresh` shared (`lock_buckets`), so that a refresh (exclusive)
never reads the readings of a batch whose rollups are half folded.

Elsewhere (SQLite), and for anything else that writes readings, one call once the readings
are committed:

    rollups_refresh(touched)   # touched: iterable of (sensor_id, measure_id, time)

recomputes, from the readings, the hourly rollup of each (sensor, measure, hour) touched, then
the daily rollup of each (sensor, measure, day) those hours fall in, and moves each measure's
latest value forward. Recomputing a whole bucket (rather than adding the new values to it)
keeps a redelivered uplink from counting twice and a late one in its place. On PostgreSQL,
concurrent refreshes of the same hour or day take turns (transaction-scoped advisory locks,
always taken in the same order).

`rollups_rebuild()` (command `mutualis iot rollups`) recomputes every bucket of a period from
the readings still kept.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max, Min, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from mutualis.iot.models import DailyRollup, HourlyRollup, Measure, Reading, Rollup
from mutualis.iot.storage import retention_cutoff

HOUR = dt.timedelta(hours=1)
ROLLUP_FIELDS = ["count", "min", "max", "sum", "last", "last_time"]
_LOCKS = "SELECT pg_advisory_xact_lock(%s, k) FROM unnest(%s::integer[]) AS k"
_SHARED_LOCKS = "SELECT pg_advisory_xact_lock_shared(%s, k) FROM unnest(%s::integer[]) AS k"


def hour_of(moment: dt.datetime) -> dt.datetime:
    moment = moment.astimezone(dt.UTC)
    return moment.replace(minute=0, second=0, microsecond=0)


def day_of(hour: dt.datetime) -> dt.date:
    return timezone.localtime(hour).date()


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The day in the operator's time zone, as UTC moments [start, end)."""
    zone = timezone.get_default_timezone()
    start = dt.datetime.combine(day, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


@dataclass(frozen=True)
class RollupSpec:
    """One rollup table and how its buckets are made."""

    model: type[Rollup]
    bucket: str  # the model's bucket field
    of_hour: Callable[[dt.datetime], Any]  # the bucket an hour (UTC) falls in
    window: Callable[[Any], tuple[dt.datetime, dt.datetime]]  # a bucket's [start, end) in UTC
    source: type  # what a bucket is recomputed from
    source_time: str
    source_last: str  # the source's field of the last value
    aggregates: Callable[[], dict]  # the rollup's fields (but `last`) over the source's rows
    lock: int  # advisory lock class
    lock_key: Callable[[Any], int]  # a bucket's lock key
    sql_bucket: str  # PostgreSQL: the bucket of the time `t` (%(zone)s: TIME_ZONE)
    sql_type: str


HOURLY = RollupSpec(
    model=HourlyRollup,
    bucket="hour",
    of_hour=lambda hour: hour,
    window=lambda hour: (hour, hour + HOUR),
    source=Reading,
    source_time="time",
    source_last="value",
    aggregates=lambda: {
        "count": Count("id"),
        "min": Min("value"),
        "max": Max("value"),
        "sum": Sum("value"),
        "last_time": Max("time"),
    },
    lock=7101,
    lock_key=lambda hour: int(hour.timestamp()) // 3600,
    sql_bucket="date_trunc('hour', t, 'UTC')",
    sql_type="timestamptz",
)
DAILY = RollupSpec(
    model=DailyRollup,
    bucket="day",
    of_hour=day_of,
    window=day_bounds,
    source=HourlyRollup,
    source_time="hour",
    source_last="last",
    aggregates=lambda: {
        "count": Sum("count"),
        "min": Min("min"),
        "max": Max("max"),
        "sum": Sum("sum"),
        "last_time": Max("last_time"),
    },
    lock=7102,
    lock_key=dt.date.toordinal,
    sql_bucket="(date_trunc('hour', t, 'UTC') AT TIME ZONE %(zone)s)::date",
    sql_type="date",
)
SPECS = (HOURLY, DAILY)  # in this order: a day is made of its hours, locks taken so


Pairs = set[tuple[int, int]]  # (sensor_id, measure_id)


def rollups_refresh(touched: Iterable[tuple[int, int, dt.datetime]]) -> int:
    """Refreshes the rollups of the (sensor_id, measure_id, time) given; returns the number
    of hourly buckets written. Times before the raw retention are skipped: their hour's other
    values are gone, a rollup recomputed from what is left would be wrong."""
    cutoff = retention_cutoff(settings.IOT_RAW_RETENTION_DAYS)
    hours: dict[dt.datetime, Pairs] = defaultdict(set)
    for sensor_id, measure_id, moment in touched:
        if cutoff is None or moment >= cutoff:
            hours[hour_of(moment)].add((sensor_id, measure_id))
    if not hours:
        return 0
    written = 0
    latest: dict[int, tuple[dt.datetime, float]] = {}
    with transaction.atomic():
        for spec in SPECS:  # the hours first: the days are made of them
            buckets: dict[Any, Pairs] = defaultdict(set)
            for hour, pairs in hours.items():
                buckets[spec.of_hour(hour)] |= pairs
            _lock(spec, buckets)
            for bucket, pairs in sorted(buckets.items()):
                rollups = _recompute(spec, bucket, pairs)
                if spec is HOURLY:
                    written += len(rollups)
                    for rollup in rollups:
                        known = latest.get(rollup.measure_id)
                        if known is None or rollup.last_time > known[0]:
                            latest[rollup.measure_id] = (rollup.last_time, rollup.last)
        _move_latest(latest)
    return written


def _lock(spec: RollupSpec, buckets: Iterable, *, shared: bool = False) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite: one writer at a time anyway
    sql = _SHARED_LOCKS if shared else _LOCKS  # taken in the (sorted) array's order
    keys = sorted({spec.lock_key(bucket) for bucket in buckets})
    with connection.cursor() as cursor:
        cursor.execute(sql, [spec.lock, keys])


def lock_buckets(hours: Iterable[dt.datetime]) -> None:
    """PostgreSQL, before folding values of these hours (UTC) into the rollups: the locks of
    their hours and days, shared (a refresh of one of them waits for the batch's commit)."""
    hours = set(hours)
    for spec in SPECS:
        _lock(spec, {spec.of_hour(hour) for hour in hours}, shared=True)


_FOLD = """{name} AS (
INSERT INTO {table} ({sensor}, {measure}, {bucket}, {count}, {min}, {max}, {sum}, {last},
  {last_time})
SELECT s, m, {sql_bucket}, count(*), min(v), max(v), sum(v), (array_agg(v ORDER BY t DESC))[1],
  max(t)
FROM {source}
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3
ON CONFLICT ({sensor}, {measure}, {bucket}) DO UPDATE SET
  {count} = {table}.{count} + EXCLUDED.{count},
  {sum} = {table}.{sum} + EXCLUDED.{sum},
  {min} = LEAST({table}.{min}, EXCLUDED.{min}),
  {max} = GREATEST({table}.{max}, EXCLUDED.{max}),
  {last} = CASE WHEN EXCLUDED.{last_time} > {table}.{last_time}
    THEN EXCLUDED.{last} ELSE {table}.{last} END,
  {last_time} = GREATEST({table}.{last_time}, EXCLUDED.{last_time})
)"""
_LATEST = """rollup_latest AS (
UPDATE {table} AS x SET {last_time} = l.t, {last_value} = l.v
FROM (SELECT DISTINCT ON (m) m, t, v FROM {source} ORDER BY m, t DESC) AS l
WHERE x.{pk} = l.m AND (x.{last_time} IS NULL OR x.{last_time} < l.t)
)"""


def fold_ctes(source: str) -> str:
    """PostgreSQL: the data-modifying CTEs, to be put in the statement that inserts readings,
    that fold the rows of the CTE `source` (columns s, m, t, v: the values really inserted,
    each once) into every rollup, rows written in the order of their keys, and move the
    measures' latest values forward (never back). Parameter: %(zone)s, the TIME_ZONE."""
    quote = connection.ops.quote_name
    ctes = []
    for spec in SPECS:
        meta = spec.model._meta
        names = {
            name: quote(meta.get_field(name).column)
            for name in ["sensor", "measure", *ROLLUP_FIELDS]
        }
        ctes.append(
            _FOLD.format(
                name=f"rollup_{spec.bucket}",
                table=quote(meta.db_table),
                bucket=quote(meta.get_field(spec.bucket).column),
                sql_bucket=spec.sql_bucket,
                source=source,
                **names,
            )
        )
    meta = Measure._meta
    ctes.append(
        _LATEST.format(
            table=quote(meta.db_table),
            pk=quote(meta.pk.column),
            last_time=quote(meta.get_field("last_time").column),
            last_value=quote(meta.get_field("last_value").column),
            source=source,
        )
    )
    return ",\n".join(ctes)


def _scope(queryset, pairs: Pairs | None, sensor_ids: Iterable[int] | None = None):
    if pairs is not None:
        queryset = queryset.filter(
            sensor_id__in={s for s, _m in pairs}, measure_id__in={m for _s, m in pairs}
        )
    if sensor_ids is not None:
        queryset = queryset.filter(sensor_id__in=list(sensor_ids))
    return queryset


def _recompute(spec: RollupSpec, bucket, pairs: Pairs | None, sensor_ids=None) -> list[Rollup]:
    """The bucket's rollups recomputed from the spec's source and written (inserted or
    updated): an hour from the readings, a day from its hourly rollups."""
    start, end = spec.window(bucket)
    window = Q(**{f"{spec.source_time}__gte": start, f"{spec.source_time}__lt": end})
    last = (
        spec.source.objects.filter(
            window, sensor_id=OuterRef("sensor_id"), measure_id=OuterRef("measure_id")
        )
        .order_by(f"-{spec.source_time}")
        .values(spec.source_last)[:1]
    )
    rows = (
        _scope(spec.source.objects.filter(window), pairs, sensor_ids)
        .values("sensor_id", "measure_id")
        .order_by()
        .annotate(  # prefixed: the source may have fields of these names
            **{f"agg_{name}": aggregate for name, aggregate in spec.aggregates().items()},
            agg_last=Subquery(last),
        )
    )
    rollups = [
        spec.model(
            sensor_id=row["sensor_id"],
            measure_id=row["measure_id"],
            **{spec.bucket: bucket},
            **{name: row[f"agg_{name}"] for name in ROLLUP_FIELDS},
        )
        for row in rows
    ]
    spec.model.objects.bulk_create(
        rollups,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["sensor", "measure", spec.bucket],
        update_fields=ROLLUP_FIELDS,
    )
    return rollups


def _move_latest(latest: dict[int, tuple[dt.datetime, float]]) -> None:
    """Each measure's latest value moves forward, never back (a late value is not the
    latest): one statement on PostgreSQL."""
    if not latest:
        return
    if connection.vendor == "postgresql":
        ids = sorted(latest)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE iot_measure AS m SET last_time = v.t, last_value = v.x "
                "FROM unnest(%s::bigint[], %s::timestamptz[], %s::double precision[]) "
                "AS v(id, t, x) "
                "WHERE m.id = v.id AND (m.last_time IS NULL OR m.last_time < v.t)",
                [ids, [latest[pk][0] for pk in ids], [latest[pk][1] for pk in ids]],
            )
        return
    for measure_id, (moment, value) in latest.items():
        Measure.objects.filter(pk=measure_id).filter(
            Q(last_time__isnull=True) | Q(last_time__lt=moment)
        ).update(last_time=moment, last_value=value)


_PG_ALL = """WITH kept AS (SELECT sensor_id AS s, measure_id AS m, time AS t, value AS v
FROM iot_reading WHERE time >= %(since)s), """
_LITE_HOURLY = """
INSERT INTO iot_hourlyrollup (sensor_id, measure_id, hour, count, min, max, sum, last, last_time)
SELECT s, m, b, count(*), min(v), max(v), sum(v), max(lv), max(t) FROM (
  SELECT sensor_id AS s, measure_id AS m, strftime('%%Y-%%m-%%d %%H:00:00', time) AS b,
    time AS t, value AS v,
    first_value(value) OVER (PARTITION BY sensor_id, measure_id,
      strftime('%%Y-%%m-%%d %%H:00:00', time) ORDER BY time DESC) AS lv
  FROM iot_reading WHERE time >= %s
) GROUP BY s, m, b
"""
_LITE_DAILY = """
INSERT INTO iot_dailyrollup (sensor_id, measure_id, day, count, min, max, sum, last, last_time)
SELECT s, m, b, sum(n), min(lo), max(hi), sum(total), max(lv), max(t) FROM (
  SELECT r.sensor_id AS s, r.measure_id AS m, d.day AS b, r.count AS n, r.min AS lo,
    r.max AS hi, r.sum AS total, r.last_time AS t,
    first_value(r.last) OVER (PARTITION BY r.sensor_id, r.measure_id, d.day
      ORDER BY r.hour DESC) AS lv
  FROM iot_hourlyrollup AS r JOIN iot_day_of_hour AS d ON d.hour = r.hour
  WHERE r.hour >= %s
) GROUP BY s, m, b
"""


def rollups_fold_all(since: dt.datetime) -> None:
    """Builds the rollups of every reading from `since` on in one set-based statement per
    table, for a history loaded in bulk into empty rollups (the demo): PostgreSQL folds them
    as the ingestion does (`fold_ctes`); SQLite groups the hours, then the days through a
    table of the hours' days (in TIME_ZONE). The measures' latest values follow."""
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                _PG_ALL + fold_ctes("kept") + " SELECT 1",
                {"since": since, "zone": settings.TIME_ZONE},
            )
        return
    bounds = Reading.objects.filter(time__gte=since).aggregate(last=Max("time"))
    if bounds["last"] is None:
        return
    hours, hour = [], hour_of(since)
    while hour <= bounds["last"]:
        hours.append(hour)
        hour += HOUR
    text = "%Y-%m-%d %H:%M:%S"
    with transaction.atomic(), connection.cursor() as cursor:
        start = since.astimezone(dt.UTC).strftime(text)
        cursor.execute(_LITE_HOURLY, [start])
        cursor.execute("CREATE TEMPORARY TABLE iot_day_of_hour (hour text PRIMARY KEY, day text)")
        cursor.executemany(
            "INSERT INTO iot_day_of_hour VALUES (%s, %s)",
            [(h.strftime(text), day_of(h).isoformat()) for h in hours],
        )
        cursor.execute(_LITE_DAILY, [hour_of(since).strftime(text)])
        cursor.execute("DROP TABLE iot_day_of_hour")
    _latest_from_hours(Measure.objects.all())


def _latest_from_hours(measures) -> None:
    latest = HourlyRollup.objects.filter(measure_id=OuterRef("pk")).order_by("-hour")
    measures.update(
        last_time=Subquery(latest.values("last_time")[:1]),
        last_value=Subquery(latest.values("last")[:1]),
    )


def rollups_rebuild(
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    sensor_ids: list[int] | None = None,
    progress: Callable[[dt.date], None] | None = None,
) -> int:
    """Recomputes the hourly and daily rollups of the days from `since` to `until` (both
    included; by default all the days readings are kept for) from the readings, and the
    measures' latest values. Days before the first kept reading are left alone: their raw
    values are gone, their rollups are all that remains. Returns the number of days."""
    readings = Reading.objects.all()
    if sensor_ids is not None:
        readings = readings.filter(sensor_id__in=sensor_ids)
    bounds = readings.order_by().aggregate(first=Min("time"), last=Max("time"))
    if bounds["first"] is None:
        return 0
    first, last = day_of(bounds["first"]), day_of(bounds["last"])
    start = max(since, first) if since else first
    end = min(until, last) if until else last
    day = start
    days = 0
    while day <= end:
        with transaction.atomic():
            low, high = day_bounds(day)
            hours = []
            hour = low
            while hour < high:
                hours.append(hour)
                hour += HOUR
            # As rollups_refresh: no batch folds values into the day while it is recomputed.
            for spec, buckets in ((HOURLY, hours), (DAILY, [day])):
                _lock(spec, buckets)
                window = {f"{spec.bucket}__gte": buckets[0], f"{spec.bucket}__lte": buckets[-1]}
                _scope(spec.model.objects.filter(**window), None, sensor_ids).delete()
                for bucket in buckets:
                    _recompute(spec, bucket, None, sensor_ids)
        days += 1
        if progress is not None:
            progress(day)
        day += dt.timedelta(days=1)
    measures = Measure.objects.all()
    if sensor_ids is not None:
        measures = measures.filter(sensor_id__in=sensor_ids)
    _latest_from_hours(measures)
    return days
