"""The network balance of the sectors and the heating of buildings against the weather, as
the detection job runs them (pure rules: mutualis.detection.network and .heating).

Sectors: the registers of a sector's district meter and of the meters behind it are read on
the job's grid; volumes are spread between readings (a meter read once a day counts), and a
day is judged only when every meter of the sector is covered over it. The latest day of loss
in the last ``recent_hours`` opens (or updates) the one alert of the sector, on its district
meter.

Heating: each building's energy meter with a heating profile is read over ``HEATING_DAYS``
local days ending yesterday; its daily consumption is regressed on the degree-days of its
weather station's daily mean temperatures (imported files, else the station's own sensor);
the latest day of the last ``HEATING_RECENT_DAYS`` that breaks a rule opens or updates its
alert (one per building and rule).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import numpy as np
from django.db.models import Avg
from django.utils import timezone

from mutualis.alerts import services
from mutualis.alerts.models import DailyWeather, HeatingProfile, MeterSector, SchoolHoliday
from mutualis.alerts.readings import Grid, registers
from mutualis.detection.heating import judge
from mutualis.detection.network import balance
from mutualis.detection.series import HOURS_PER_DAY, Hourly, covered, from_index
from mutualis.iot.models import DailyRollup, Quantity
from mutualis.staffing.calendar import holidays_between

MAX_GAP_HOURS = 48  # two readings further apart leave the hours between them uncovered
HEATING_DAYS = 56
HEATING_RECENT_DAYS = 7
SECTOR_CHUNK = 100


def volumes(index: np.ndarray, first_weekday: int, scale: float) -> Hourly:
    """Hourly volumes known to the balance: read, or spread between close readings."""
    block = from_index(index, first_weekday=first_weekday, scale=scale)
    return Hourly(block.flow, covered(index, MAX_GAP_HOURS), first_weekday)


def sectors_run(*, grid: Grid, elapsed: int, recent_hours: int, outcome) -> None:
    sectors = list(
        MeterSector.objects.filter(active=True)
        .select_related("district")
        .prefetch_related("behind")
        .order_by("pk")
    )
    for first in range(0, len(sectors), SECTOR_CHUNK):
        _sectors(sectors[first : first + SECTOR_CHUNK], grid, elapsed, recent_hours, outcome)


def _sectors(sectors, grid: Grid, elapsed: int, recent_hours: int, outcome) -> None:
    sectors = [s for s in sectors if s.behind.all()]
    if not sectors:
        return
    district_of = [i for i, s in enumerate(sectors) for _b in s.behind.all()]
    behind = [b.pk for s in sectors for b in s.behind.all()]
    ids = sorted({s.district_id for s in sectors} | set(behind))
    row = {pk: i for i, pk in enumerate(ids)}
    index = registers(ids, grid)
    weekday = grid.start.weekday()
    districts = volumes(index[[row[s.district_id] for s in sectors]], weekday, 1000)
    meters = volumes(index[[row[pk] for pk in behind]], weekday, 1000)
    result, _alarms = balance(districts, meters, np.asarray(district_of, dtype=np.int64))
    for i, sector in enumerate(sectors):
        ends = (np.arange(result.loss.shape[1]) + 1) * HOURS_PER_DAY
        latest = np.nonzero(
            result.flagged[i] & (ends <= elapsed) & (ends > elapsed - max(recent_hours, 24))
        )[0]
        if latest.size == 0:
            continue
        w = int(latest[-1])
        at = grid.time_of(int(ends[w]))
        outcome.count(
            services.alert_raise(
                sensor=sector.district,
                cause="network_balance",
                at=at,
                measured=float(result.loss[i, w]),
                window=(at - dt.timedelta(days=14), at),
            )
        )


def occupancy(profile: HeatingProfile, days: list[dt.date], holidays: dict) -> np.ndarray:
    """Whether the building is occupied on each of ``days``."""
    public = holidays_between(days[0], days[-1]) if profile.closed_on_public_holidays else {}
    school = holidays.get(profile.holiday_zone, [])
    return np.array(
        [
            str(day.weekday()) in profile.weekdays
            and day not in public
            and not any(start <= day <= end for start, end in school)
            for day in days
        ],
        dtype=np.bool_,
    )


def temperatures(station, days: list[dt.date]) -> np.ndarray:
    """The daily mean outdoor temperature of ``station`` (NaN where unknown): the imported
    observations, else the daily mean of the station's own temperature sensor."""
    out = np.full(len(days), np.nan)
    position = {day: i for i, day in enumerate(days)}
    for observed in DailyWeather.objects.filter(station=station, day__range=(days[0], days[-1])):
        mean = observed.daily_mean
        if mean is not None:
            out[position[observed.day]] = mean
    if station.sensor_id is not None and np.isnan(out).any():
        own = (
            DailyRollup.objects.filter(
                sensor_id=station.sensor_id,
                measure__quantity=Quantity.TEMPERATURE,
                day__range=(days[0], days[-1]),
            )
            .values("day")
            .annotate(mean=Avg("sum") / Avg("count"))
        )
        for entry in own:
            i = position[entry["day"]]
            if np.isnan(out[i]):
                out[i] = entry["mean"]
    return out


def heating_run(*, until: dt.datetime, outcome) -> None:
    profiles = list(
        HeatingProfile.objects.filter(active=True, sensor__active=True)
        .select_related("sensor", "station")
        .order_by("station", "pk")
    )
    if not profiles:
        return
    today = timezone.localtime(until).date()
    first = today - dt.timedelta(days=HEATING_DAYS)
    start = timezone.make_aware(dt.datetime.combine(first, dt.time()))
    grid = Grid(start, HEATING_DAYS)  # yesterday is the last day
    days = [first + dt.timedelta(days=d) for d in range(HEATING_DAYS)]
    holidays: dict[str, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    for zone, begins, ends in SchoolHoliday.objects.filter(
        ends_on__gte=days[0], starts_on__lte=days[-1]
    ).values_list("zone", "starts_on", "ends_on"):
        holidays[zone].append((begins, ends))
    by_station = defaultdict(list)
    for profile in profiles:
        by_station[profile.station].append(profile)
    for station, group in by_station.items():
        index = registers([p.sensor_id for p in group], grid, Quantity.ENERGY)
        hourly = volumes(index, grid.start.weekday(), 1.0)
        flow, known = hourly.by_day()
        energy = np.where(known.sum(axis=2) >= HOURS_PER_DAY - 4, flow.sum(axis=2), np.nan)
        temperature = temperatures(station, days)
        occupied = np.stack([occupancy(p, days, holidays) for p in group])
        verdict = judge(energy, temperature, occupied, reference=~np.isnan(temperature))
        recent = slice(HEATING_DAYS - HEATING_RECENT_DAYS, HEATING_DAYS)
        for cause, flags, measured in (
            ("heating_unoccupied", verdict.unoccupied, energy),
            ("heating_out_of_line", verdict.out_of_line, verdict.excess),
        ):
            for m, profile in enumerate(group):
                days_flagged = np.nonzero(flags[m, recent])[0]
                if days_flagged.size == 0:
                    continue
                day = HEATING_DAYS - HEATING_RECENT_DAYS + int(days_flagged[-1])
                at = grid.time_of((day + 1) * HOURS_PER_DAY)
                outcome.count(
                    services.alert_raise(
                        sensor=profile.sensor,
                        cause=cause,
                        at=at,
                        measured=float(measured[m, day]),
                        window=(at - dt.timedelta(days=28), at),
                    )
                )
