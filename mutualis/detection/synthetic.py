"""Realistic hourly water-meter series with injected leaks of known start, size and kind.

Meters are households (most), public buildings (schools, town halls: used on working hours,
closed nights, weekends and school holidays; some with an automatic urinal flush, a legitimate
permanent flow) and care homes (used day and night). Use is a Poisson number of draws per hour
(daily and weekly patterns, the household's size), each draw a gamma-distributed volume; on top:
off-peak washing machines started at night, sleepless nights, guests, absences, summer garden
watering, public holidays. The register is read to the litre at the end of each hour, and
readings are lost (radio losses, hours-long and days-long silences).

Leaks start at a known hour with a known size (L/h) and kind: ``abrupt`` (full size at once),
``incipient`` (grows linearly to its size over one to ten days) and ``night`` (flows only from
00:00 to 06:00, as a pressure-driven leak does). A leak lasts until the end of the series.
Everything is drawn from one seed: the same seed gives the same set.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from mutualis.detection.series import HOURS_PER_DAY, BoolArray, FloatArray, IntArray

HOUSEHOLD, PUBLIC, CARE_HOME = 0, 1, 2
KIND_NAMES = ("household", "public", "care_home")
ABRUPT, INCIPIENT, NIGHT = 0, 1, 2
LEAK_NAMES = ("abrupt", "incipient", "night")
SCORED_RATE = 2.0
"""Leaks of at least this rate (L/h) are the ones the detection rate counts."""

_HOUSEHOLD_WEEK = np.array(
    [0.03, 0.02, 0.02, 0.02, 0.03, 0.1, 0.6, 1.6, 1.2, 0.5, 0.4, 0.4,
     0.7, 0.5, 0.3, 0.3, 0.4, 0.6, 0.8, 1.1, 1.0, 0.8, 0.5, 0.15]
)  # fmt: skip
_HOUSEHOLD_WEEKEND = np.array(
    [0.06, 0.04, 0.03, 0.02, 0.02, 0.03, 0.1, 0.4, 0.9, 1.2, 0.9, 0.8,
     0.9, 0.7, 0.5, 0.5, 0.5, 0.6, 0.8, 1.0, 1.0, 0.8, 0.6, 0.3]
)  # fmt: skip
_PUBLIC_OPEN = np.array(
    [0.0] * 7 + [0.5, 2.5, 3.0, 3.0, 3.5, 4.0, 3.0, 3.0, 3.0, 2.5, 1.0] + [0.0] * 6
)
_CARE = np.array(
    [1.0, 0.8, 0.8, 0.8, 1.0, 1.5, 4.0, 8.0, 8.0, 6.0, 5.0, 6.0,
     7.0, 5.0, 4.0, 4.0, 4.0, 5.0, 6.0, 6.0, 5.0, 3.0, 2.0, 1.5]
)  # fmt: skip


@dataclass(frozen=True)
class Leaks:
    """The injected leaks: one per leaking meter."""

    meter: IntArray
    start: IntArray  # first hour with leak flow
    size: FloatArray  # L/h once fully developed
    kind: IntArray
    scored_from: IntArray  # first hour whose rate reaches SCORED_RATE (-1: never)


@dataclass(frozen=True)
class Synthetic:
    index: FloatArray  # register in m³ at the end of each hour, NaN: no reading
    kind: IntArray
    leaks: Leaks
    first_weekday: int
    start: date


def french_holidays(start: date, days: int) -> BoolArray:
    """Fixed-date public holidays and Easter-based ones (Monday, Ascension, Whit Monday)."""
    out = np.zeros(days, dtype=np.bool_)
    fixed = {(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)}
    for d in range(days):
        day = start + timedelta(days=d)
        if (day.month, day.day) in fixed or day in _easter_based(day.year):
            out[d] = True
    return out


def _easter_based(year: int) -> set[date]:
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month = (h + ell - 7 * m + 114) // 31
    easter = date(year, month, ((h + ell - 7 * m + 114) % 31) + 1)
    return {easter + timedelta(days=n) for n in (1, 39, 50)}


def _school_holidays(start: date, days: int) -> BoolArray:
    """Approximate French school holidays (zone A): two weeks around each season and summer."""
    out = np.zeros(days, dtype=np.bool_)
    spans = [((2, 14), (3, 1)), ((4, 11), (4, 27)), ((7, 5), (9, 1)), ((10, 18), (11, 3)),
             ((12, 20), (12, 31)), ((1, 1), (1, 4))]  # fmt: skip
    for d in range(days):
        day = start + timedelta(days=d)
        key = (day.month, day.day)
        out[d] = any(lo <= key <= hi for lo, hi in spans)
    return out


def generate(
    meters: int,
    days: int,
    *,
    seed: int,
    start: date = date(2026, 1, 5),
    leak_share: float = 0.3,
    warmup_days: int = 30,
    shares: tuple[float, float, float] = (0.85, 0.10, 0.05),
) -> Synthetic:
    """``meters`` meters over ``days`` days from ``start`` (a midnight), leaks on about
    ``leak_share`` of them, none starting in the first ``warmup_days`` days nor the last two."""
    rng = np.random.default_rng(seed)
    hours = days * HOURS_PER_DAY
    kind = rng.choice(3, size=meters, p=np.array(shares)).astype(np.int64)
    weekday = (start.weekday() + np.arange(days)) % 7
    holiday = french_holidays(start, days)
    offday = (weekday >= 5) | holiday
    school_off = _school_holidays(start, days) | offday
    month = np.array([(start + timedelta(days=d)).month for d in range(days)])
    summer = (month >= 6) & (month <= 8)

    # Rate of draws per meter and hour (meters × days × 24).
    size = rng.lognormal(0.0, 0.45, meters)
    rate = (
        np.where(
            offday[None, :, None], _HOUSEHOLD_WEEKEND[None, None, :], _HOUSEHOLD_WEEK[None, None, :]
        )
        * size[:, None, None]
    )
    rate = np.broadcast_to(rate, (meters, days, HOURS_PER_DAY)).copy()
    public = kind == PUBLIC
    rate[public] = (
        np.where(school_off[None, :, None], 0.0, _PUBLIC_OPEN[None, None, :])
        * size[public, None, None]
    )
    care = kind == CARE_HOME
    rate[care] = _CARE[None, None, :] * size[care, None, None] * 2.0
    household = kind == HOUSEHOLD
    # Day-to-day variation, sleepless nights, guests, absences.
    rate *= rng.lognormal(0.0, 0.25, (meters, days, 1))
    sleepless = rng.random((meters, days)) < 0.02
    rate[:, :, :6] *= np.where(sleepless & household[:, None], 8.0, 1.0)[:, :, None]
    for _ in range(3):
        guests = _episodes(rng, meters, days, probability=0.8, low=2, high=8)
        rate *= np.where(guests & household[:, None], 1.8, 1.0)[:, :, None]
    absent = np.zeros((meters, days), dtype=np.bool_)
    for _ in range(2):
        absent |= _episodes(rng, meters, days, probability=0.6, low=3, high=21)
    rate *= np.where(absent & household[:, None], 0.0, 1.0)[:, :, None]
    draws = rng.poisson(rate)
    mean_volume = np.where(kind == PUBLIC, 5.0, 9.0)[:, None, None]
    shape = 0.9
    volume = np.where(draws > 0, rng.gamma(np.maximum(draws, 1) * shape, mean_volume / shape), 0.0)
    # Off-peak appliances at night (heures creuses), garden watering in summer.
    offpeak = household & (rng.random(meters) < 0.4)
    offpeak_hour = rng.choice([23, 0, 1, 2], size=meters)
    runs = offpeak[:, None] & (rng.random((meters, days)) < 0.4) & ~absent
    m_idx, d_idx = np.nonzero(runs)
    volume[m_idx, d_idx, offpeak_hour[m_idx]] += rng.uniform(30, 60, m_idx.size)
    garden = household & (rng.random(meters) < 0.3)
    water = garden[:, None] & summer[None, :] & (rng.random((meters, days)) < 0.5) & ~absent
    m_idx, d_idx = np.nonzero(water)
    volume[m_idx, d_idx, 20] += rng.uniform(100, 400, m_idx.size)
    flush = public & (rng.random(meters) < 0.2)
    volume[flush] += rng.uniform(2.0, 6.0, flush.sum())[:, None, None]

    flow = volume.reshape(meters, hours)
    leaks = _inject(rng, flow, days, leak_share, warmup_days)
    litres = np.cumsum(flow, axis=1) + rng.uniform(0, 500_000, meters)[:, None]
    index = np.floor(litres) / 1000.0
    index[_silences(rng, meters, hours)] = np.nan
    return Synthetic(index, kind, leaks, int(weekday[0]), start)


def _episodes(
    rng: np.random.Generator, meters: int, days: int, *, probability: float, low: int, high: int
) -> BoolArray:
    """At most one episode per meter of ``low``–``high`` days, with the given probability
    (scaled to a year)."""
    has = rng.random(meters) < probability * days / 365
    first = rng.integers(0, days, meters)
    length = rng.integers(low, high + 1, meters)
    day = np.arange(days)
    return (
        has[:, None] & (day[None, :] >= first[:, None]) & (day[None, :] < (first + length)[:, None])
    )


def _inject(
    rng: np.random.Generator, flow: FloatArray, days: int, share: float, warmup: int
) -> Leaks:
    meters, hours = flow.shape
    leaking = np.flatnonzero(rng.random(meters) < share)
    n = leaking.size
    last = max(warmup + 1, days - 2)
    start = rng.integers(warmup * HOURS_PER_DAY, last * HOURS_PER_DAY, n)
    size = np.exp(rng.uniform(np.log(0.5), np.log(100.0), n))
    kind = rng.choice(3, size=n, p=[0.4, 0.3, 0.3]).astype(np.int64)
    ramp = rng.integers(1, 11, n) * HOURS_PER_DAY
    hour = np.arange(hours)
    scored_from = np.full(n, -1, dtype=np.int64)
    for j, meter in enumerate(leaking):
        since = hour - start[j]
        on = since >= 0
        if kind[j] == INCIPIENT:
            leak = np.where(on, size[j] * np.minimum((since + 1) / ramp[j], 1.0), 0.0)
        elif kind[j] == NIGHT:
            leak = np.where(on & (hour % HOURS_PER_DAY < 6), size[j], 0.0)
        else:
            leak = np.where(on, size[j], 0.0)
        flow[meter] += leak
        reach = np.flatnonzero(leak >= SCORED_RATE)
        if reach.size:
            scored_from[j] = reach[0]
    return Leaks(leaking.astype(np.int64), start.astype(np.int64), size, kind, scored_from)


def _silences(rng: np.random.Generator, meters: int, hours: int) -> BoolArray:
    """Lost readings: 1 % radio losses, hours-long gaps, day-long gaps, rare long silences."""
    lost = rng.random((meters, hours)) < 0.01
    hour = np.arange(hours)
    for per_year, low, high in ((4.0, 2, 8), (1.5, 24, 72), (0.3, 168, 400)):
        count = rng.poisson(per_year * hours / 8760, meters)
        for _ in range(int(count.max(initial=0))):
            has = count > 0
            count -= 1
            first = rng.integers(0, hours, meters)
            length = rng.integers(low, high + 1, meters)
            lost |= has[:, None] & (hour >= first[:, None]) & (hour < (first + length)[:, None])
    return lost
