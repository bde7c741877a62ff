"""The stored readings laid out for the detection rules: local wall-clock hours from a local
midnight (:class:`Grid`), the registers of many sensors as one matrix (:func:`registers`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.utils import timezone

from mutualis.detection.series import HOURS_PER_DAY
from mutualis.iot.models import Quantity, Reading

HOUR = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Grid:
    """Whole local days from the local midnight ``start``: column ``c`` is the hour from
    ``c % 24`` o'clock (local) on day ``c // 24``. On the day clocks go forward, the column of
    02:00 gets no reading; on the day they go back, the two hours from 02:00 share one column
    (the last reading of the two wins, so the hour's volume is the two hours')."""

    start: dt.datetime
    days: int

    @property
    def hours(self) -> int:
        return self.days * HOURS_PER_DAY

    def time_of(self, column: int) -> dt.datetime:
        """The aware local time at which ``column`` begins (``hours``: the end of the grid)."""
        day, hour = divmod(column, HOURS_PER_DAY)
        naive = dt.datetime.combine(self.start.date() + dt.timedelta(days=day), dt.time(hour))
        return timezone.make_aware(naive, self.start.tzinfo)

    def column_of(self, moment: dt.datetime) -> int:
        local = timezone.localtime(moment, self.start.tzinfo)
        return (local.date() - self.start.date()).days * HOURS_PER_DAY + local.hour

    def utc_columns(self) -> np.ndarray:
        """The column of each UTC hour from ``start`` to the end of the grid (the arithmetic in
        UTC: an aware local time plus an hour is wall-clock arithmetic in Python)."""
        first = self.start.astimezone(dt.UTC)
        span = int((self.time_of(self.hours).astimezone(dt.UTC) - first) // HOUR)
        return np.array([self.column_of(first + k * HOUR) for k in range(span)], dtype=np.int64)


def window_start(until: dt.datetime, days: int) -> dt.datetime:
    local = timezone.localtime(until - dt.timedelta(days=days))
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def registers(
    sensor_ids: list[int], grid: Grid, quantity: str = Quantity.WATER_VOLUME
) -> np.ndarray:
    """The registers (m³ of water, kWh of energy) of ``sensor_ids``, one row each, one column
    per local hour of ``grid`` (the last reading of the hour), NaN where none."""
    out = np.full((len(sensor_ids), grid.hours), np.nan)
    row = {pk: i for i, pk in enumerate(sensor_ids)}
    columns = grid.utc_columns()
    start = grid.start
    rows = (
        Reading.objects.filter(
            sensor_id__in=sensor_ids,
            measure__quantity=quantity,
            time__gte=start,
            time__lt=grid.time_of(grid.hours),
        )
        .order_by("sensor_id", "time")
        .values_list("sensor_id", "time", "value")
    )
    for sensor_id, time, value in rows.iterator(chunk_size=10_000):
        out[row[sensor_id], columns[int((time - start) // HOUR)]] = value
    return out
