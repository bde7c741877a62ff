"""Network balance: a district (or building) meter against the sum of the meters behind it.

Over each window of ``window_hours`` hours, the loss is the district volume minus the volume of
its meters; an alarm when the loss is above ``min_loss`` litres and above ``max_loss_share``
of the district volume. A window where the district or any meter behind it was read on fewer
than ``min_coverage`` of its hours gets no verdict (a silent meter is not a leak).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mutualis.detection.alarms import Alarms, from_flags
from mutualis.detection.series import FloatArray, Hourly, IntArray


@dataclass(frozen=True)
class BalanceParams:
    window_hours: int = 24
    max_loss_share: float = 0.15
    min_loss: float = 100.0
    min_coverage: float = 0.9


@dataclass(frozen=True)
class Balance:
    """Per district and window: district volume, metered volume, loss, and verdict."""

    district: FloatArray
    metered: FloatArray
    loss: FloatArray
    judged: np.ndarray  # bool: enough readings to judge
    flagged: np.ndarray  # bool: judged and a loss above both thresholds


def balance(
    districts: Hourly, meters: Hourly, district_of: IntArray, p: BalanceParams = BalanceParams()
) -> tuple[Balance, Alarms]:
    """``district_of[i]`` is the district (row of ``districts``) behind which meter ``i`` is."""
    if meters.hours != districts.hours or district_of.shape != (meters.meters,):
        raise ValueError("compteurs et secteurs : mêmes heures, un secteur par compteur")
    w = p.window_hours
    windows = districts.hours // w
    cut = windows * w

    def per_window(values: FloatArray) -> FloatArray:
        shaped: FloatArray = values[:, :cut].reshape(values.shape[0], windows, w).sum(axis=2)
        return shaped

    d_volume = per_window(districts.flow)
    d_cover = per_window(districts.observed.astype(np.float64)) / w
    m_volume = per_window(meters.flow)
    m_cover = per_window(meters.observed.astype(np.float64)) / w
    metered = np.zeros_like(d_volume)
    np.add.at(metered, district_of, m_volume)
    worst = np.ones_like(d_volume)
    np.minimum.at(worst, district_of, m_cover)
    judged = (d_cover >= p.min_coverage) & (worst >= p.min_coverage)
    loss = d_volume - metered
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(d_volume > 0, loss / d_volume, 0.0)
    flags = judged & (loss >= p.min_loss) & (share >= p.max_loss_share)
    hour_of = np.arange(windows, dtype=np.int64) * w + w - 1
    return Balance(d_volume, metered, loss, judged, flags), from_flags(
        flags, loss, "network_balance", hour_of=hour_of
    )
