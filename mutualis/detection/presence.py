"""Silence of a sensor, inactivity of a monitored home.

**Silence**: a sensor whose last reading is older than ``factor`` times its expected reporting
interval, and at least ``min_silence_s`` seconds old, is silent.

**Inactivity** (a vulnerable person's home, only with a recorded consent — the caller's duty):
from the home's own previous ``baseline_days`` days, the probability ``p[h]`` that water is
used during hour-of-day ``h``. At hour ``t``, when no water was used over the last
``window_hours`` hours (all read) and the chance of such a silence by habit alone,
``∏ (1 − p[h])`` over those hours, is below ``alpha``, the home is inactive: the person
usually uses water at those hours and did not.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mutualis.detection.alarms import Alarms, from_flags
from mutualis.detection.series import HOURS_PER_DAY, BoolArray, FloatArray, Hourly, rolling_count


def silent(
    last_seen: FloatArray,
    interval_s: FloatArray,
    now: float,
    *,
    factor: float = 3.0,
    min_silence_s: float = 3600.0,
) -> BoolArray:
    """Which sensors are silent at ``now`` (POSIX seconds); ``last_seen`` NaN: never heard
    (not silent: not yet started)."""
    age = now - last_seen
    with np.errstate(invalid="ignore"):
        result: BoolArray = (age > np.maximum(factor * interval_s, min_silence_s)) & ~np.isnan(
            last_seen
        )
    return result


@dataclass(frozen=True)
class InactivityParams:
    window_hours: int = 12
    baseline_days: int = 28
    min_baseline_days: int = 14
    used_above: float = 1.0
    alpha: float = 0.001


def usual_use(block: Hourly, p: InactivityParams = InactivityParams()) -> FloatArray:
    """``(homes, days, 24)``: share of the previous ``baseline_days`` days on which water was
    used during each hour of day (NaN before ``min_baseline_days`` days were read)."""
    flow, observed = block.by_day()
    used = (observed & (flow >= p.used_above)).astype(np.float64)
    seen = observed.astype(np.float64)
    n, days = block.meters, block.days

    def trailing(values: FloatArray) -> FloatArray:
        csum = np.concatenate([np.zeros((n, 1, HOURS_PER_DAY)), np.cumsum(values, axis=1)], axis=1)
        end = np.arange(days)
        start = np.maximum(end - p.baseline_days, 0)
        out: FloatArray = csum[:, end, :] - csum[:, start, :]
        return out

    uses, reads = trailing(used), trailing(seen)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(reads >= p.min_baseline_days, uses / np.maximum(reads, 1), np.nan)


def inactivity(block: Hourly, p: InactivityParams = InactivityParams()) -> Alarms:
    usual = usual_use(block, p).reshape(block.meters, block.hours)
    idle = block.observed & (block.flow < p.used_above)
    quiet = rolling_count(idle, p.window_hours) >= p.window_hours
    # log of the chance of this silence by habit alone, over the window
    log_keep = np.log(np.clip(1.0 - np.nan_to_num(usual, nan=1.0), 1e-12, 1.0))
    csum = np.cumsum(log_keep, axis=1)
    chance = csum.copy()
    chance[:, p.window_hours :] -= csum[:, : -p.window_hours]
    known = rolling_count(~np.isnan(usual), p.window_hours) >= p.window_hours
    flags = quiet & known & (chance < np.log(p.alpha))
    flags[:, : p.window_hours - 1] = False
    hours = np.arange(block.hours, dtype=np.int64)
    return from_flags(flags, -chance, "inactivity", hour_of=hours)
