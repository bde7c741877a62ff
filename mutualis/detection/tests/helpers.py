"""Small hand-made series for the detection tests."""

from __future__ import annotations

import numpy as np

from mutualis.detection.series import FloatArray, Hourly

# A household's day (L/h): nothing at night, a morning and an evening.
DAY = np.array(
    [0, 0, 0, 0, 0, 0, 5, 40, 25, 0, 0, 10, 15, 0, 0, 0, 0, 10, 20, 30, 15, 5, 0, 0],
    dtype=np.float64,
)


def block(rows: list[FloatArray] | FloatArray, observed: np.ndarray | None = None) -> Hourly:
    flow = np.atleast_2d(np.asarray(rows, dtype=np.float64))
    seen = np.ones(flow.shape, dtype=np.bool_) if observed is None else observed
    return Hourly(flow, seen)


def days_of(pattern: FloatArray, days: int) -> FloatArray:
    return np.tile(pattern, days)


def with_leak(flow: FloatArray, start: int, rate: float, *, night_only: bool = False) -> FloatArray:
    out = flow.copy()
    hours = np.arange(out.size)
    on = hours >= start
    if night_only:
        on &= hours % 24 < 6
    out[on] += rate
    return out
