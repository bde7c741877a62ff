"""Scores of a detector on a generated set whose leaks are known.

- **detection rate**: the share of leaks reaching ``SCORED_RATE`` (2 L/h) on which the detector
  raised an alarm within ``horizon_hours`` (48 h) of the hour the leak first flowed at that rate
  (its start for an abrupt or night leak; later for an incipient leak still growing);
- **false alarms per 1 000 meter-days**: alarm episodes (:func:`~mutualis.detection.alarms.
  episodes`: one alert) that start on a meter before its leak, or on a meter without a leak,
  per 1 000 days of such leak-free meters, counted after ``warmup_days`` days (both the
  detector and the baseline learn on them);
- **median time to detect**: over the scored leaks detected at all, hours from the rate
  reaching 2 L/h to the first alarm.

An alarm on a leaking meter after its leak started is never a false alarm, even on a leak
below 2 L/h (the detector is then right; the rate only does not count it).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mutualis.detection.alarms import Alarms, episodes
from mutualis.detection.series import HOURS_PER_DAY
from mutualis.detection.synthetic import LEAK_NAMES, Leaks


@dataclass(frozen=True)
class Score:
    scored_leaks: int
    detected: int
    false_alarms: int
    meter_days: float
    median_hours: float
    by_kind: dict[str, tuple[int, int]]  # kind → (detected, scored)

    @property
    def detection_rate(self) -> float:
        return self.detected / self.scored_leaks if self.scored_leaks else float("nan")

    @property
    def false_per_1000(self) -> float:
        return 1000.0 * self.false_alarms / self.meter_days if self.meter_days else float("nan")

    def merge(self, other: Score, median_hours: float) -> Score:
        kinds = {
            k: (
                self.by_kind.get(k, (0, 0))[0] + other.by_kind.get(k, (0, 0))[0],
                self.by_kind.get(k, (0, 0))[1] + other.by_kind.get(k, (0, 0))[1],
            )
            for k in LEAK_NAMES
        }
        return Score(
            self.scored_leaks + other.scored_leaks,
            self.detected + other.detected,
            self.false_alarms + other.false_alarms,
            self.meter_days + other.meter_days,
            median_hours,
            kinds,
        )


@dataclass(frozen=True)
class Delays:
    """Time to detect of each detected scored leak (hours)."""

    hours: list[int]


def score(
    alarms: Alarms,
    leaks: Leaks,
    *,
    meters: int,
    days: int,
    warmup_days: int = 30,
    horizon_hours: int = 48,
) -> tuple[Score, Delays]:
    hours = days * HOURS_PER_DAY
    warm = warmup_days * HOURS_PER_DAY
    leak_start = np.full(meters, hours, dtype=np.int64)
    leak_start[leaks.meter] = leaks.start
    # False alarms: episode starts before the meter's leak (or anywhere without one).
    ep = episodes(alarms)
    false = (ep.hour >= warm) & (ep.hour < leak_start[ep.meter])
    clean_hours = np.clip(leak_start - warm, 0, None).sum()
    meter_days = float(clean_hours) / HOURS_PER_DAY
    # Detection: the first alarm at or after the hour the leak reached the scored rate.
    order = np.lexsort((alarms.hour, alarms.meter))
    a_meter, a_hour = alarms.meter[order], alarms.hour[order]
    scored = leaks.scored_from >= 0
    detected = 0
    delays: list[int] = []
    by_kind = {name: [0, 0] for name in LEAK_NAMES}
    for meter, since, kind in zip(
        leaks.meter[scored], leaks.scored_from[scored], leaks.kind[scored], strict=True
    ):
        lo = np.searchsorted(a_meter, meter, side="left")
        hi = np.searchsorted(a_meter, meter, side="right")
        after = a_hour[lo:hi][a_hour[lo:hi] >= since]
        by_kind[LEAK_NAMES[kind]][1] += 1
        if after.size:
            delay = int(after[0] - since) + 1  # raised at the end of that hour
            delays.append(delay)
            if delay <= horizon_hours:
                detected += 1
                by_kind[LEAK_NAMES[kind]][0] += 1
    result = Score(
        int(scored.sum()),
        detected,
        int(false.sum()),
        meter_days,
        float(np.median(delays)) if delays else float("nan"),
        {k: (v[0], v[1]) for k, v in by_kind.items()},
    )
    return result, Delays(delays)
