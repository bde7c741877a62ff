"""A sensor's or a building's series over a day, a month or a year, read from the rollups
(never from the raw readings): a day is 24 hourly rollups, a month 28–31 daily ones, a year
the daily ones summed up by month in Python (≤ 366 rows a measure).

What a point shows depends on the quantity: a meter index (water, energy) shows what was
consumed (the index's rise since the previous point), a count its sum, anything else (a
temperature, a level) its mean, with the minimum and maximum beside it.

A building is the sensors of a member sharing the same `Sensor.building`.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mutualis.iot.models import UNITS, DailyRollup, HourlyRollup, Quantity
from mutualis.iot.rollups import day_bounds

CUMULATIVE = {Quantity.WATER_VOLUME, Quantity.ENERGY}
SUMMED = {Quantity.COUNT}
VIEWS = {"jour": _("Jour"), "mois": _("Mois"), "annee": _("Année")}
MONTHS = ["janv.", "févr.", "mars", "avr.", "mai", "juin"]
MONTHS += ["juil.", "août", "sept.", "oct.", "nov.", "déc."]


def how(quantity: str) -> str:
    if quantity in CUMULATIVE:
        return "delta"
    if quantity in SUMMED:
        return "sum"
    return "mean"


@dataclass(frozen=True)
class Period:
    view: str  # jour, mois, annee
    day: dt.date

    @property
    def first(self) -> dt.date:
        if self.view == "jour":
            return self.day
        if self.view == "mois":
            return self.day.replace(day=1)
        return self.day.replace(month=1, day=1)

    @property
    def last(self) -> dt.date:
        if self.view == "jour":
            return self.day
        if self.view == "mois":
            following = (self.first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            return following - dt.timedelta(days=1)
        return self.day.replace(month=12, day=31)

    def shifted(self, steps: int) -> "Period":
        if self.view == "jour":
            return Period(self.view, self.day + dt.timedelta(days=steps))
        if self.view == "mois":
            month = self.day.year * 12 + self.day.month - 1 + steps
            return Period(self.view, dt.date(month // 12, month % 12 + 1, 1))
        return Period(self.view, dt.date(self.day.year + steps, 1, 1))

    @property
    def title(self) -> str:
        if self.view == "jour":
            return self.day.strftime("%d/%m/%Y")
        if self.view == "mois":
            return f"{MONTHS[self.day.month - 1]} {self.day.year}"
        return str(self.day.year)


@dataclass
class Point:
    label: str
    count: int = 0
    min: float | None = None
    max: float | None = None
    sum: float = 0.0
    last: float | None = None
    last_time: dt.datetime | None = None
    value: float | None = None  # what the chart shows

    @property
    def mean(self) -> float | None:
        return self.sum / self.count if self.count else None

    def add(self, count, low, high, total, last, last_time) -> None:
        self.count += count
        self.min = low if self.min is None else min(self.min, low)
        self.max = high if self.max is None else max(self.max, high)
        self.sum += total
        if self.last_time is None or last_time > self.last_time:
            self.last, self.last_time = last, last_time


@dataclass
class Series:
    quantity: str
    label: str
    unit: str
    how: str
    points: list[Point] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return all(p.value is None for p in self.points)


def _buckets(period: Period) -> list[tuple[object, str]]:
    """(key, label) of each point of the period."""
    if period.view == "jour":
        start, end = day_bounds(period.day)
        keys, hour = [], start
        while hour < end:
            keys.append((hour, f"{timezone.localtime(hour):%H} h"))
            hour += dt.timedelta(hours=1)
        return keys
    if period.view == "mois":
        day, keys = period.first, []
        while day <= period.last:
            keys.append((day, str(day.day)))
            day += dt.timedelta(days=1)
        return keys
    return [(m, MONTHS[m - 1]) for m in range(1, 13)]


def _rows(sensor_ids, period: Period):
    """Rollup rows of the period: (sensor_id, quantity, bucket key, count, min, max, sum,
    last, last_time)."""
    if period.view == "jour":
        start, end = day_bounds(period.day)
        rows = HourlyRollup.objects.filter(
            sensor_id__in=sensor_ids, hour__gte=start, hour__lt=end
        ).values_list(
            "sensor_id",
            "measure__quantity",
            "hour",
            "count",
            "min",
            "max",
            "sum",
            "last",
            "last_time",
        )
        return list(rows)
    rows = DailyRollup.objects.filter(
        sensor_id__in=sensor_ids, day__gte=period.first, day__lte=period.last
    ).values_list(
        "sensor_id", "measure__quantity", "day", "count", "min", "max", "sum", "last", "last_time"
    )
    if period.view == "mois":
        return list(rows)
    return [(s, q, day.month, *rest) for s, q, day, *rest in rows]


def _values(series: Series) -> None:
    previous_last = None
    for point in series.points:
        if point.count == 0:
            continue
        if series.how == "mean":
            point.value = point.mean
        elif series.how == "sum":
            point.value = point.sum
        else:  # an index: what it rose by since the point before (or within this one)
            base = previous_last if previous_last is not None else point.min
            point.value = max(point.last - base, 0.0)
            previous_last = point.last


def series_for(sensor_ids, quantities, period: Period) -> list[Series]:
    """One series a quantity, summed over the sensors given (a building) — means weighted
    by the number of values, consumptions added."""
    buckets = _buckets(period)
    per_sensor: dict[tuple[int, str], dict[object, Point]] = defaultdict(dict)
    for sensor_id, quantity, key, *figures in _rows(list(sensor_ids), period):
        points = per_sensor[(sensor_id, quantity)]
        points.setdefault(key, Point("")).add(*figures)
    result = []
    for quantity in sorted(set(quantities)):
        label = dict(Quantity.choices)[quantity]
        combined = Series(quantity, label, UNITS[quantity], how(quantity))
        combined.points = [Point(text) for _key, text in buckets]
        for (_sensor_id, q), points in per_sensor.items():
            if q != quantity:
                continue
            one = Series(quantity, label, UNITS[quantity], combined.how)
            one.points = [points.get(key, Point(text)) for key, text in buckets]
            _values(one)
            for target, point in zip(combined.points, one.points, strict=True):
                if point.count:
                    delta = point.value if combined.how == "delta" else None
                    target.add(
                        point.count, point.min, point.max, point.sum, point.last, point.last_time
                    )
                    if delta is not None:
                        target.value = (target.value or 0.0) + delta
        if combined.how != "delta":
            for point in combined.points:
                point.value = None
            _values(combined)
        result.append(combined)
    return result
