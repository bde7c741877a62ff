"""Heating against the weather: daily consumption of a building regressed on degree-days.

Degree-days (*degrés-jours unifiés*, base ``base_c`` = 18 °C): ``max(0, base − Tmean)`` of each
day, ``Tmean`` the mean of the day's outdoor temperatures (min/max mean when only those are
known). On the reference days when the building is occupied, its consumption is fitted as
``E = a + b × DJU`` (least squares, per building, all buildings at once).

- **heated when unoccupied**: on a cold day (DJU ≥ ``min_dju``) when the building is empty,
  its consumption is above ``unoccupied_share`` of what the fit gives for an occupied day;
- **out of line with the weather**: on an occupied day, the residual is above ``k`` standard
  deviations of the fit's residuals and above ``min_relative`` of the fitted value.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mutualis.detection.alarms import Alarms, concat, from_flags
from mutualis.detection.series import HOURS_PER_DAY, BoolArray, FloatArray


def degree_days(mean_temperature: FloatArray, base_c: float = 18.0) -> FloatArray:
    result: FloatArray = np.maximum(0.0, base_c - mean_temperature)
    return result


@dataclass(frozen=True)
class HeatingParams:
    min_dju: float = 5.0
    unoccupied_share: float = 0.5
    k: float = 3.0
    min_relative: float = 0.25
    min_fit_days: int = 14


@dataclass(frozen=True)
class Fit:
    intercept: FloatArray  # per building
    slope: FloatArray
    sigma: FloatArray
    days: FloatArray


def fit(energy: FloatArray, dju: FloatArray, use: BoolArray) -> Fit:
    """Per-building least squares of ``energy`` (buildings × days) on ``dju`` (days) over
    the days in ``use`` (buildings × days; NaN energy is left out)."""
    mask = use & ~np.isnan(energy)
    w = mask.astype(np.float64)
    y = np.where(mask, energy, 0.0)
    x = np.broadcast_to(dju, energy.shape)
    n = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mx = (w * x).sum(axis=1) / n
        my = y.sum(axis=1) / n
        sxx = (w * (x - mx[:, None]) ** 2).sum(axis=1)
        sxy = (w * (x - mx[:, None]) * (y - my[:, None])).sum(axis=1)
        slope = np.where(sxx > 0, sxy / sxx, 0.0)
        intercept = my - slope * mx
        residual = np.where(mask, energy - (intercept[:, None] + slope[:, None] * x), 0.0)
        sigma = np.sqrt((residual**2).sum(axis=1) / np.maximum(n - 2, 1))
    return Fit(intercept, slope, sigma, n)


@dataclass(frozen=True)
class Verdict:
    """Per building (row) and day (column): the fit, and which days break which rule."""

    fit: Fit
    unoccupied: BoolArray  # heated when unoccupied
    out_of_line: BoolArray
    excess: FloatArray  # consumption above the fit (kWh)


def judge(
    energy: FloatArray,
    mean_temperature: FloatArray,
    occupied: BoolArray,
    p: HeatingParams = HeatingParams(),
    *,
    reference: BoolArray | None = None,
) -> Verdict:
    """The two rules, day by day (see :func:`heating`)."""
    dju = degree_days(mean_temperature)
    ref = np.ones(dju.shape, dtype=np.bool_) if reference is None else reference
    f = fit(energy, dju, occupied & ref[None, :])
    expected = f.intercept[:, None] + f.slope[:, None] * dju[None, :]
    enough = (f.days >= p.min_fit_days)[:, None]
    with np.errstate(invalid="ignore"):
        empty_heated = (
            enough
            & ~occupied
            & (dju[None, :] >= p.min_dju)
            & (energy > p.unoccupied_share * expected)
        )
        residual = energy - expected
        out_of_line = (
            enough
            & occupied
            & (residual > p.k * f.sigma[:, None])
            & (residual > p.min_relative * np.abs(expected))
        )
    return Verdict(f, empty_heated, out_of_line, residual)


def heating(
    energy: FloatArray,
    mean_temperature: FloatArray,
    occupied: BoolArray,
    p: HeatingParams = HeatingParams(),
    *,
    reference: BoolArray | None = None,
) -> tuple[Fit, Alarms]:
    """Alarms per building (row) and day (column; raised at the end of the day).

    ``reference`` (days) chooses the fitting days (default: all); only occupied ones are used.
    """
    v = judge(energy, mean_temperature, occupied, p, reference=reference)
    hours = np.arange(energy.shape[1], dtype=np.int64) * HOURS_PER_DAY + HOURS_PER_DAY - 1
    return v.fit, concat(
        [
            from_flags(v.unoccupied, energy, "heating_unoccupied", hour_of=hours),
            from_flags(v.out_of_line, v.excess, "heating_out_of_line", hour_of=hours),
        ]
    )
