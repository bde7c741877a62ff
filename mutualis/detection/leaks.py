"""Water leaks on a meter: continuous flow, minimum night flow, abrupt jump of daily volume.

Each rule compares a meter with **its own recent past**, so a building with a legitimate
permanent use (an automatic urinal flush, a care home awake at night) is not a leak, and a
quiet home with a dripping tap is. Flows are in litres per hour (``from_index(..., scale=1000)``
on registers in m³). Parameters: :class:`LeakParams`; the operators' guide is
``docs/detection.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from mutualis.detection.alarms import Alarms, concat, from_flags
from mutualis.detection.series import (
    HOURS_PER_DAY,
    FloatArray,
    Hourly,
    masked,
    nanmin_or_nan,
    rolling_count,
    trailing_median,
    trailing_quantile,
)

MAD_TO_SIGMA = 1.4826
"""A median absolute deviation times this estimates a standard deviation (normal noise)."""


@dataclass(frozen=True)
class LeakParams:
    """Parameters of the three leak rules (defaults fixed before scoring, see the guide).

    Continuous flow — an alarm when, over ``continuous_hours`` consecutive hours (at least
    ``continuous_min_observed`` of them read), no hour used less than ``zero_below`` litres,
    on a meter that had such a zero-flow hour on at least ``usual_zero_share`` of its
    ``baseline_days`` previous days.

    Minimum night flow — the night's minimum is the smallest hourly flow between
    ``night_start`` and ``night_end`` o'clock (at least ``night_min_observed`` hours read);
    an alarm when it exceeds the median of the ``baseline_days`` previous nights by at least
    ``night_min_excess`` L/h and by ``night_k`` robust standard deviations of those nights.

    Daily jump — an alarm when the day's volume exceeds the median of the
    ``jump_baseline_days`` previous days by ``jump_ratio`` times that median, by ``jump_k``
    robust standard deviations and by ``jump_min_excess`` litres, ``jump_days`` days in a row.
    """

    zero_below: float = 1.0
    continuous_hours: int = 24
    continuous_min_observed: int = 20
    usual_zero_share: float = 1.0
    usual_zero_hours: float = 4.0
    baseline_days: int = 14
    baseline_min_days: int = 7
    night_start: int = 0
    night_end: int = 6
    night_min_observed: int = 4
    night_min_excess: float = 1.5
    night_k: float = 4.0
    night_quiet_quantile: float = 0.9
    night_quiet_zero_hours: float = 3.0
    night_noisy_nights: int = 2
    jump_baseline_days: int = 56
    jump_min_days: int = 28
    jump_quantile: float = 0.9
    jump_ratio: float = 0.3
    jump_k: float = 2.0
    jump_min_excess: float = 480.0
    jump_days: int = 2
    jump_min_observed: int = 18

    def scaled(self, factor: float) -> LeakParams:
        """The same rules for flows counted in another unit (``factor`` units per litre)."""
        return replace(
            self,
            zero_below=self.zero_below * factor,
            night_min_excess=self.night_min_excess * factor,
            jump_min_excess=self.jump_min_excess * factor,
        )


DEFAULT = LeakParams()


def continuous_flow(block: Hourly, p: LeakParams = DEFAULT) -> Alarms:
    """Continuous flow: no zero-flow hour over ``continuous_hours`` on a meter that usually
    has one each day."""
    zero = block.observed & (block.flow < p.zero_below)
    zeros = rolling_count(zero, p.continuous_hours)
    seen = rolling_count(block.observed, p.continuous_hours)
    flowing = (zeros == 0) & (seen >= p.continuous_min_observed)
    flowing[:, : p.continuous_hours - 1] = False
    # Is a zero-flow hour usual for this meter? Share of its previous days that had one.
    zero_day = zero.reshape(block.meters, block.days, HOURS_PER_DAY).any(axis=2)
    full_day = block.observed.reshape(block.meters, block.days, HOURS_PER_DAY).sum(axis=2) >= (
        p.continuous_min_observed
    )
    had = np.where(full_day, zero_day.astype(np.float64), np.nan)
    share, _ = _trailing_mean(had, p.baseline_days, p.baseline_min_days)
    zero_hours = np.where(
        full_day, zero.reshape(block.meters, block.days, HOURS_PER_DAY).sum(axis=2), np.nan
    )
    typical, _ = trailing_median(zero_hours, p.baseline_days, p.baseline_min_days)
    with np.errstate(invalid="ignore"):
        usual_day = (share >= p.usual_zero_share) & (typical >= p.usual_zero_hours)
    usual = np.repeat(usual_day, HOURS_PER_DAY, axis=1)
    flags = flowing & usual
    least = _rolling_min(masked(block.flow, block.observed), p.continuous_hours)
    hours = np.arange(block.hours, dtype=np.int64)
    return from_flags(flags, least, "continuous_flow", hour_of=hours)


def night_minimum(block: Hourly, p: LeakParams = DEFAULT) -> FloatArray:
    """Each night's minimum hourly flow, ``(meters, days)``, NaN when too few hours were read."""
    flow, observed = block.by_day()
    night = np.where(observed, flow, np.nan)[:, :, p.night_start : p.night_end]
    return nanmin_or_nan(night, axis=2, minimum_count=p.night_min_observed)


def night_flow(block: Hourly, p: LeakParams = DEFAULT) -> Alarms:
    """Minimum night flow above the meter's own recent nights.

    A *quiet* meter (the ``night_quiet_quantile`` of its previous nights below ``zero_below``)
    alarms on the first such night; a *noisy* one (a care home awake at night) only after
    ``night_noisy_nights`` such nights in a row, each above its upper quantile too.
    """
    mnf = night_minimum(block, p)
    median, mad = trailing_median(mnf, p.baseline_days, p.baseline_min_days)
    upper = trailing_quantile(mnf, p.baseline_days, p.baseline_min_days, p.night_quiet_quantile)
    flow, observed = block.by_day()
    night = slice(p.night_start, p.night_end)
    zero_hours = np.where(
        observed[:, :, night].sum(axis=2) >= p.night_min_observed,
        (observed[:, :, night] & (flow[:, :, night] < p.zero_below)).sum(axis=2),
        np.nan,
    )
    typical, _ = trailing_median(zero_hours, p.baseline_days, p.baseline_min_days)
    excess = mnf - median
    threshold = np.maximum(p.night_min_excess, p.night_k * MAD_TO_SIGMA * mad)
    with np.errstate(invalid="ignore"):
        high = excess >= threshold
        quiet = (upper < p.zero_below) & (typical >= p.night_quiet_zero_hours)
        above_upper = high & (mnf > upper + p.night_min_excess)
    confirmed = rolling_count(above_upper, p.night_noisy_nights) >= p.night_noisy_nights
    flags = (high & quiet) | confirmed
    days = np.arange(block.days, dtype=np.int64)
    return from_flags(flags, excess, "night_flow", hour_of=days * HOURS_PER_DAY + p.night_end - 1)


def daily_volume(block: Hourly, minimum_observed: int) -> FloatArray:
    flow, observed = block.by_day()
    volume = flow.sum(axis=2)
    return np.where(observed.sum(axis=2) >= minimum_observed, volume, np.nan)


def daily_jump(block: Hourly, p: LeakParams = DEFAULT) -> Alarms:
    """An abrupt, lasting rise of the daily volume."""
    volume = daily_volume(block, p.jump_min_observed)
    median, mad = trailing_median(volume, p.jump_baseline_days, p.jump_min_days)
    upper = trailing_quantile(volume, p.jump_baseline_days, p.jump_min_days, p.jump_quantile)
    excess = volume - upper
    threshold = np.maximum.reduce(
        [
            p.jump_ratio * median,
            p.jump_k * MAD_TO_SIGMA * mad,
            np.full_like(median, p.jump_min_excess),
        ]
    )
    with np.errstate(invalid="ignore"):
        high = excess >= threshold
    run = rolling_count(high, p.jump_days) >= p.jump_days
    days = np.arange(block.days, dtype=np.int64)
    return from_flags(run, excess, "daily_jump", hour_of=days * HOURS_PER_DAY + HOURS_PER_DAY - 1)


def detect_leaks(block: Hourly, p: LeakParams = DEFAULT) -> Alarms:
    """The three leak rules together, sorted by meter and hour."""
    return concat([continuous_flow(block, p), night_flow(block, p), daily_jump(block, p)])


def _trailing_mean(
    values: FloatArray, window: int, minimum_count: int
) -> tuple[FloatArray, FloatArray]:
    """Mean of the ``window`` previous columns (current excluded), NaN with too few values."""
    n, days = values.shape
    present = ~np.isnan(values)
    csum = np.concatenate([np.zeros((n, 1)), np.cumsum(np.nan_to_num(values), axis=1)], axis=1)
    ccount = np.concatenate(
        [np.zeros((n, 1), dtype=np.int64), np.cumsum(present, axis=1, dtype=np.int64)], axis=1
    )
    end = np.arange(days)
    start = np.maximum(end - window, 0)
    total = csum[:, end] - csum[:, start]
    count = ccount[:, end] - ccount[:, start]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(count >= minimum_count, total / np.maximum(count, 1), np.nan)
    return mean, count.astype(np.float64)


def _rolling_min(values: FloatArray, window: int) -> FloatArray:
    """Minimum of columns ``t-window+1 … t`` ignoring NaN (``inf`` when none)."""
    filled = np.where(np.isnan(values), np.inf, values)
    n = filled.shape[0]
    padded = np.concatenate([np.full((n, window - 1), np.inf), filled], axis=1)
    windows = np.lib.stride_tricks.sliding_window_view(padded, window, axis=1)
    result: FloatArray = windows.min(axis=2)
    return result
