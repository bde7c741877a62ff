"""The plain minimum-night-flow detector of the LeakDB benchmark, as a baseline.

LeakDB (Vrachimis et al., KIOS, CCWI/WDSA 2018) ships this detector with its benchmark: each
day's minimum night flow is the day's smallest flow; from day ``window + 1`` on, the residual
of the day's minimum against the smallest minimum of a window of ``window`` previous days is
compared with ``gamma`` times that smallest minimum; a day above it is labelled a leak, and
the window only moves forward over days that were not labelled (a leak does not teach the
window). Defaults are LeakDB's: ``window = 10`` days, ``gamma = 0.1``.

Here days run from midnight to midnight and a day's minimum reads its observed hours (at least
``min_observed`` of them, else the day gets no label and the window does not move).
"""

from __future__ import annotations

import numpy as np

from mutualis.detection.alarms import Alarms, from_flags
from mutualis.detection.series import HOURS_PER_DAY, Hourly, masked, nanmin_or_nan


def leakdb_mnf(
    block: Hourly, *, window: int = 10, gamma: float = 0.1, min_observed: int = 20
) -> Alarms:
    n, days = block.meters, block.days
    daily = masked(block.flow, block.observed).reshape(n, days, HOURS_PER_DAY)
    mnf = nanmin_or_nan(daily, axis=2, minimum_count=min_observed)
    labels = np.zeros((n, days), dtype=np.bool_)
    excess = np.zeros((n, days))
    if days <= window:
        return Alarms.empty()
    ring = mnf[:, :window].copy()  # the window, as a ring buffer per meter
    position = np.zeros(n, dtype=np.int64)
    rows = np.arange(n)
    for day in range(window, days):
        today = mnf[:, day]
        with np.errstate(invalid="ignore"):
            smallest = np.nanmin(np.where(np.isnan(ring), np.inf, ring), axis=1)
            residual = today - smallest
            leak = residual > smallest * gamma
        leak &= ~np.isnan(today) & np.isfinite(smallest)
        labels[:, day] = leak
        excess[:, day] = np.where(leak, residual, 0.0)
        moves = ~leak & ~np.isnan(today)
        ring[rows[moves], position[moves]] = today[moves]
        position[moves] = (position[moves] + 1) % window
    hours = np.arange(days, dtype=np.int64) * HOURS_PER_DAY + HOURS_PER_DAY - 1
    return from_flags(labels, excess, "leakdb_mnf", hour_of=hours)
