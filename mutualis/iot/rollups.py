"""Hourly and daily rollups of the readings, kept up to date after each ingestion batch.

For the ingestion (and anything else that writes readings), one call once the readings are
committed:

    rollups_refresh(touched)   # touched: iterable of (sensor_id, measure_id, time)

recomputes, from the readings, the hourly rollup of each (sensor, measure, hour) touched, then
the daily rollup of each (sensor, measure, day) those hours fall in (days in TIME_ZONE, from
the hourly rollups), and moves each measure's latest value forward. Recomputing a whole
bucket (rather than adding the new values to it) keeps a redelivered uplink from counting
twice and a late one in its place. On PostgreSQL, concurrent workers refreshing the same hour
or day take turns (transaction-scoped advisory locks, always taken in the same order), so the
last write of a bucket is always computed from all the values committed before it.

On PostgreSQL the ingestion does not recompute: in the transaction that inserts the readings,

    rollups_add(inserted)      # inserted: the rows (sensor_id, measure_id, time, value)
                               # the insert really wrote (RETURNING), redelivered ones left out

folds those values into their hourly and daily rollups with one upsert each (counts and sums
added, min/max widened, the last value taken when later). Each upsert is atomic per row and
writes its rows in the order of their keys, so that concurrent workers neither lose a count
nor deadlock; it takes the advisory locks of `rollups_refresh` shared, so that a refresh
(exclusive) never reads the readings of a batch whose rollups are half folded.

`rollups_rebuild()` (command `mutualis iot rollups`) recomputes every bucket of a period from
the readings still kept.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max, Min, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from mutualis.iot.models import DailyRollup, HourlyRollup, Measure, Reading
from mutualis.iot.storage import retention_cutoff

HOUR = dt.timedelta(hours=1)
ROLLUP_FIELDS = ["count", "min", "max", "sum", "last", "last_time"]
_HOUR_LOCK, _DAY_LOCK = 7101, 7102  # advisory lock classes
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
    with transaction.atomic():
        _lock(_HOUR_LOCK, [int(hour.timestamp()) // 3600 for hour in hours])
        days: dict[dt.date, Pairs] = defaultdict(set)
        latest: dict[int, tuple[dt.datetime, float]] = {}
        for hour, pairs in sorted(hours.items()):
            for rollup in _hourly(hour, pairs):
                written += 1
                known = latest.get(rollup.measure_id)
                if known is None or rollup.last_time > known[0]:
                    latest[rollup.measure_id] = (rollup.last_time, rollup.last)
            days[day_of(hour)] |= pairs
        _lock(_DAY_LOCK, [day.toordinal() for day in days])
        for day, pairs in sorted(days.items()):
            _daily(day, pairs)
        _move_latest(latest)
    return written


def _lock(kind: int, keys: Iterable[int], *, shared: bool = False) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite: one writer at a time anyway
    sql = _SHARED_LOCKS if shared else _LOCKS  # taken in the (sorted) array's order
    with connection.cursor() as cursor:
        cursor.execute(sql, [kind, sorted(set(keys))])


_FOLD = """
INSERT INTO {table} ({sensor}, {measure}, {bucket}, {count}, {min}, {max}, {sum}, {last},
  {last_time})
SELECT s, m, b, count(*), min(v), max(v), sum(v), (array_agg(v ORDER BY t DESC))[1], max(t)
FROM unnest(%s::bigint[], %s::bigint[], %s::{kind}[], %s::timestamptz[],
  %s::double precision[]) AS r(s, m, b, t, v)
GROUP BY s, m, b
ORDER BY s, m, b
ON CONFLICT ({sensor}, {measure}, {bucket}) DO UPDATE SET
  {count} = {table}.{count} + EXCLUDED.{count},
  {sum} = {table}.{sum} + EXCLUDED.{sum},
  {min} = LEAST({table}.{min}, EXCLUDED.{min}),
  {max} = GREATEST({table}.{max}, EXCLUDED.{max}),
  {last} = CASE WHEN EXCLUDED.{last_time} > {table}.{last_time}
    THEN EXCLUDED.{last} ELSE {table}.{last} END,
  {last_time} = GREATEST({table}.{last_time}, EXCLUDED.{last_time})
"""


def _fold(model, bucket: str, kind: str, columns: list[list]) -> None:
    """One upsert of the values (columns: sensors, measures, buckets, times, values) into
    their buckets of the rollup model, rows written in the order of their keys."""
    quote = connection.ops.quote_name
    names = {
        name: quote(model._meta.get_field(name).column)
        for name in ["sensor", "measure", bucket, *ROLLUP_FIELDS]
    }
    names["bucket"] = names.pop(bucket)
    sql = _FOLD.format(table=quote(model._meta.db_table), kind=kind, **names)
    with connection.cursor() as cursor:
        cursor.execute(sql, columns)


def rollups_add(inserted: Iterable[tuple[int, int, dt.datetime, float]]) -> int:
    """PostgreSQL: folds readings just inserted (each exactly once: the rows the insert
    returned) into their hourly and daily rollups and moves the measures' latest values
    forward, in the caller's transaction. Values before the raw retention are skipped, as
    `rollups_refresh` does. Returns the number of values folded."""
    cutoff = retention_cutoff(settings.IOT_RAW_RETENTION_DAYS)
    sensors: list[int] = []
    measures: list[int] = []
    hours: list[dt.datetime] = []
    days: list[dt.date] = []
    times: list[dt.datetime] = []
    values: list[float] = []
    day_by_hour: dict[dt.datetime, dt.date] = {}
    latest: dict[int, tuple[dt.datetime, float]] = {}
    for sensor_id, measure_id, moment, value in inserted:
        if cutoff is not None and moment < cutoff:
            continue
        hour = hour_of(moment)
        day = day_by_hour.get(hour)
        if day is None:
            day = day_by_hour[hour] = day_of(hour)
        sensors.append(sensor_id)
        measures.append(measure_id)
        hours.append(hour)
        days.append(day)
        times.append(moment)
        values.append(value)
        known = latest.get(measure_id)
        if known is None or moment > known[0]:
            latest[measure_id] = (moment, value)
    if not values:
        return 0
    with transaction.atomic():
        _lock(_HOUR_LOCK, [int(hour.timestamp()) // 3600 for hour in day_by_hour], shared=True)
        _lock(_DAY_LOCK, [day.toordinal() for day in day_by_hour.values()], shared=True)
        _fold(HourlyRollup, "hour", "timestamptz", [sensors, measures, hours, times, values])
        _fold(DailyRollup, "day", "date", [sensors, measures, days, times, values])
        _move_latest(latest)
    return len(values)


def _scope(queryset, pairs: Pairs | None, sensor_ids: Iterable[int] | None = None):
    if pairs is not None:
        queryset = queryset.filter(
            sensor_id__in={s for s, _m in pairs}, measure_id__in={m for _s, m in pairs}
        )
    if sensor_ids is not None:
        queryset = queryset.filter(sensor_id__in=list(sensor_ids))
    return queryset


def _hourly(hour: dt.datetime, pairs: Pairs | None, sensor_ids=None) -> list[HourlyRollup]:
    """The hour's rollups recomputed from the readings and written (inserted or updated)."""
    end = hour + HOUR
    window = Q(time__gte=hour, time__lt=end)
    last = (
        Reading.objects.filter(
            window, sensor_id=OuterRef("sensor_id"), measure_id=OuterRef("measure_id")
        )
        .order_by("-time")
        .values("value")[:1]
    )
    rows = (
        _scope(Reading.objects.filter(window), pairs, sensor_ids)
        .values("sensor_id", "measure_id")
        .order_by()
        .annotate(
            n=Count("id"),
            low=Min("value"),
            high=Max("value"),
            total=Sum("value"),
            latest=Max("time"),
            last_value=Subquery(last),
        )
    )
    rollups = [
        HourlyRollup(
            sensor_id=row["sensor_id"],
            measure_id=row["measure_id"],
            hour=hour,
            count=row["n"],
            min=row["low"],
            max=row["high"],
            sum=row["total"],
            last=row["last_value"],
            last_time=row["latest"],
        )
        for row in rows
    ]
    HourlyRollup.objects.bulk_create(
        rollups,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["sensor", "measure", "hour"],
        update_fields=ROLLUP_FIELDS,
    )
    return rollups


def _daily(day: dt.date, pairs: Pairs | None, sensor_ids=None) -> list[DailyRollup]:
    """The day's rollups recomputed from its hourly rollups and written."""
    start, end = day_bounds(day)
    window = Q(hour__gte=start, hour__lt=end)
    last = (
        HourlyRollup.objects.filter(
            window, sensor_id=OuterRef("sensor_id"), measure_id=OuterRef("measure_id")
        )
        .order_by("-hour")
        .values("last")[:1]
    )
    rows = (
        _scope(HourlyRollup.objects.filter(window), pairs, sensor_ids)
        .values("sensor_id", "measure_id")
        .order_by()
        .annotate(
            n=Sum("count"),
            low=Min("min"),
            high=Max("max"),
            total=Sum("sum"),
            latest=Max("last_time"),
            last_value=Subquery(last),
        )
    )
    rollups = [
        DailyRollup(
            sensor_id=row["sensor_id"],
            measure_id=row["measure_id"],
            day=day,
            count=row["n"],
            min=row["low"],
            max=row["high"],
            sum=row["total"],
            last=row["last_value"],
            last_time=row["latest"],
        )
        for row in rows
    ]
    DailyRollup.objects.bulk_create(
        rollups,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["sensor", "measure", "day"],
        update_fields=ROLLUP_FIELDS,
    )
    return rollups


def _move_latest(latest: dict[int, tuple[dt.datetime, float]]) -> None:
    """Each measure's latest value moves forward, never back (a late value is not the
    latest): one statement on PostgreSQL."""
    if not latest:
        return
    if connection.vendor == "postgresql":
        rows = sorted(latest.items())
        values = ", ".join(["(%s, %s::timestamptz, %s::double precision)"] * len(rows))
        params: list = []
        for measure_id, (moment, value) in rows:
            params += [measure_id, moment, value]
        with connection.cursor() as cursor:
            update = "UPDATE iot_measure AS m SET last_time = v.t, last_value = v.x FROM "
            rows_sql = f"(VALUES {values}) AS v(id, t, x) "  # placeholders only
            newer = "WHERE m.id = v.id AND (m.last_time IS NULL OR m.last_time < v.t)"
            cursor.execute(update + rows_sql + newer, params)
        return
    for measure_id, (moment, value) in latest.items():
        Measure.objects.filter(pk=measure_id).filter(
            Q(last_time__isnull=True) | Q(last_time__lt=moment)
        ).update(last_time=moment, last_value=value)


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
            # As rollups_refresh: no batch folds values into the day while it is recomputed.
            _lock(_HOUR_LOCK, range(int(low.timestamp()) // 3600, int(high.timestamp()) // 3600))
            _lock(_DAY_LOCK, [day.toordinal()])
            hourly = HourlyRollup.objects.filter(hour__gte=low, hour__lt=high)
            _scope(hourly, None, sensor_ids).delete()
            _scope(DailyRollup.objects.filter(day=day), None, sensor_ids).delete()
            hour = low
            while hour < high:
                _hourly(hour, None, sensor_ids)
                hour += HOUR
            _daily(day, None, sensor_ids)
        days += 1
        if progress is not None:
            progress(day)
        day += dt.timedelta(days=1)
    measures = Measure.objects.all()
    if sensor_ids is not None:
        measures = measures.filter(sensor_id__in=sensor_ids)
    latest = HourlyRollup.objects.filter(measure_id=OuterRef("pk")).order_by("-hour")
    measures.update(
        last_time=Subquery(latest.values("last_time")[:1]),
        last_value=Subquery(latest.values("last")[:1]),
    )
    return days
