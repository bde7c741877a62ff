"""Hourly series of many meters at once, as one matrix (meters × hours).

Every detector takes a :class:`Hourly` block: ``flow[i, t]`` is what meter ``i`` used during
hour ``t`` (litres for water, kWh for energy), ``observed[i, t]`` says whether a reading closed
that hour. Column 0 is a midnight (local time), so hour ``t`` is at ``t % 24`` o'clock of day
``t // 24``; the block holds whole days. A missing hour that a later reading covers (a meter
silent then catching up) gets its share of the volume but stays *unobserved*: volumes over days
stay right, while the rules on minima (night flow, continuous flow) never read a flat
interpolated flow as a leak.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

HOURS_PER_DAY = 24


@dataclass(frozen=True)
class Hourly:
    """Hourly flows of ``n`` meters over ``days`` whole days from a midnight.

    ``first_weekday`` is the weekday of column 0 (Monday 0 … Sunday 6).
    """

    flow: FloatArray
    observed: BoolArray
    first_weekday: int = 0

    def __post_init__(self) -> None:
        if self.flow.ndim != 2 or self.flow.shape != self.observed.shape:
            raise ValueError("flow et observed : deux matrices compteurs × heures de même forme")
        if self.flow.shape[1] % HOURS_PER_DAY:
            raise ValueError("la série doit couvrir des journées entières (multiple de 24 h)")
        if not 0 <= self.first_weekday <= 6:
            raise ValueError("first_weekday : de 0 (lundi) à 6 (dimanche)")

    @property
    def meters(self) -> int:
        return int(self.flow.shape[0])

    @property
    def hours(self) -> int:
        return int(self.flow.shape[1])

    @property
    def days(self) -> int:
        return self.hours // HOURS_PER_DAY

    def by_day(self) -> tuple[FloatArray, BoolArray]:
        """The flows and the observed mask as ``(meters, days, 24)`` views."""
        shape = (self.meters, self.days, HOURS_PER_DAY)
        return self.flow.reshape(shape), self.observed.reshape(shape)

    def rows(self, start: int, stop: int) -> Hourly:
        """The meters ``start:stop`` (a chunk), sharing memory."""
        return Hourly(self.flow[start:stop], self.observed[start:stop], self.first_weekday)

    def scaled(self, factor: float) -> Hourly:
        return Hourly(self.flow * factor, self.observed, self.first_weekday)


def from_index(index: FloatArray, *, first_weekday: int = 0, scale: float = 1.0) -> Hourly:
    """Hourly flows from meter indexes read at the end of each hour (NaN: no reading).

    ``index[i, t]`` is the cumulative register of meter ``i`` at the end of hour ``t`` (m³ for a
    water meter; ``scale=1000`` gives litres). The volume between two readings is spread evenly
    over the hours between them; those hours are unobserved, and so are the hours before the
    first reading and after the last (flow 0 there). A register that goes backwards (a meter
    replaced or reset) restarts: that hour's flow is unobserved and set to 0.
    """
    if index.ndim != 2:
        raise ValueError("index : une matrice compteurs × heures")
    n, hours = index.shape
    have = ~np.isnan(index)
    col = np.broadcast_to(np.arange(hours, dtype=np.int64), (n, hours))
    last = np.maximum.accumulate(np.where(have, col, -1), axis=1)
    following = np.minimum.accumulate(np.where(have, col, hours)[:, ::-1], axis=1)[:, ::-1]
    # Hour t ends at reading t: its volume lies between the reading before t and the next one.
    prev = np.concatenate([np.full((n, 1), -1, dtype=np.int64), last[:, :-1]], axis=1)
    inside = (prev >= 0) & (following < hours)
    values = np.nan_to_num(index) * scale
    before = np.take_along_axis(values, np.clip(prev, 0, hours - 1), axis=1)
    after = np.take_along_axis(values, np.clip(following, 0, hours - 1), axis=1)
    delta = after - before
    span = np.maximum(following - prev, 1)
    forward = inside & (delta >= 0)
    flow = np.where(forward, delta / span, 0.0)
    observed = forward & (following == col) & (prev == col - 1)
    return Hourly(flow, observed, first_weekday)


def covered(index: FloatArray, max_gap: int) -> BoolArray:
    """The hours whose volume :func:`from_index` knows: read, or spread between two readings
    at most ``max_gap`` hours apart. Volumes over a window stay right on these hours, which is
    what a balance of volumes needs (a meter read once a day is covered; one silent for days
    is not)."""
    n, hours = index.shape
    have = ~np.isnan(index)
    col = np.broadcast_to(np.arange(hours, dtype=np.int64), (n, hours))
    last = np.maximum.accumulate(np.where(have, col, -1), axis=1)
    following = np.minimum.accumulate(np.where(have, col, hours)[:, ::-1], axis=1)[:, ::-1]
    prev = np.concatenate([np.full((n, 1), -1, dtype=np.int64), last[:, :-1]], axis=1)
    result: BoolArray = (prev >= 0) & (following < hours) & (following - prev <= max_gap)
    return result


def masked(flow: FloatArray, observed: BoolArray) -> FloatArray:
    """The flows with NaN where the hour is unobserved."""
    return np.where(observed, flow, np.nan)


def nanmin_or_nan(values: FloatArray, axis: int, minimum_count: int) -> FloatArray:
    """``nanmin`` along ``axis``, NaN where fewer than ``minimum_count`` values are present."""
    count = np.sum(~np.isnan(values), axis=axis)
    filled = np.where(np.isnan(values), np.inf, values)
    out = np.min(filled, axis=axis)
    return np.where(count >= minimum_count, out, np.nan)


def _trailing_sorted(values: FloatArray, window: int) -> tuple[FloatArray, npt.NDArray[np.int64]]:
    """The ``window`` previous columns of each column, sorted (NaN last), and their count."""
    n, days = values.shape
    padded = np.concatenate([np.full((n, window), np.nan), values], axis=1)
    windows = np.lib.stride_tricks.sliding_window_view(padded, window, axis=1)[:, :days, :]
    ordered = np.sort(windows, axis=2)
    count = np.sum(~np.isnan(windows), axis=2).astype(np.int64)
    return ordered, count


def _pick(ordered: FloatArray, count: npt.NDArray[np.int64], q: float) -> FloatArray:
    """The ``q`` quantile (linear between neighbours) of sorted rows with ``count`` values."""
    position = q * np.maximum(count - 1, 0)
    low = np.floor(position).astype(np.int64)
    high = np.minimum(low + 1, np.maximum(count - 1, 0))
    lo = np.take_along_axis(ordered, low[..., None], axis=-1)[..., 0]
    hi = np.take_along_axis(ordered, high[..., None], axis=-1)[..., 0]
    result: FloatArray = lo + (hi - lo) * (position - low)
    return result


def trailing_median(
    values: FloatArray, window: int, minimum_count: int
) -> tuple[FloatArray, FloatArray]:
    """Median and MAD of the ``window`` previous columns (the current one excluded).

    ``values`` is ``(meters, days)`` with NaN for missing days; the result at day ``d`` reads
    days ``d-window … d-1``; NaN where fewer than ``minimum_count`` of them are present.
    """
    ordered, count = _trailing_sorted(values, window)
    median = _pick(ordered, count, 0.5)
    deviation = np.sort(np.abs(ordered - median[..., None]), axis=2)
    mad = _pick(deviation, count, 0.5)
    ok = count >= minimum_count
    return np.where(ok, median, np.nan), np.where(ok, mad, np.nan)


def trailing_quantile(values: FloatArray, window: int, minimum_count: int, q: float) -> FloatArray:
    """The ``q`` quantile of the ``window`` previous columns (current excluded), as
    :func:`trailing_median`."""
    ordered, count = _trailing_sorted(values, window)
    return np.where(count >= minimum_count, _pick(ordered, count, q), np.nan)


def rolling_count(flags: BoolArray, window: int) -> IntArray:
    """For each column ``t``: how many of columns ``t-window+1 … t`` are set (fewer at the
    start)."""
    csum = np.cumsum(flags, axis=1, dtype=np.int64)
    out = csum.copy()
    out[:, window:] -= csum[:, :-window]
    return out
