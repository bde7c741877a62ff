"""The alerts' demo, on top of the iot demo's fleet: two sectors of Mérignac's water network
(one losing water on the way), a school's boiler room heated against the weather (and heated
on the last weekend while closed), a weather file in Météo-France's format imported through
the imports pipeline, and the school holidays of zone A.

The weather file is **generated** (a plausible seasonal curve, not observations): its station
and file name say so. Everything is deterministic and idempotent (a sector in place: nothing
is done); the demo's hourly detection then finds the network loss and the heated weekend.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from django.db import transaction
from django.utils import timezone

from mutualis.alerts.models import (
    Alert,
    AlertStatus,
    Cause,
    HeatingProfile,
    HolidayZone,
    MeterSector,
    OnCallContact,
    SchoolHoliday,
    WeatherStation,
)
from mutualis.alerts.services import SEVERITY
from mutualis.core.models import User
from mutualis.imports.services import import_file
from mutualis.iot.models import Measure, Quantity, Reading, Sensor, SensorKind
from mutualis.members.models import Member
from mutualis.staffing.calendar import holidays_between

STATION = "33281001"
STATION_NAME = "Bordeaux-Mérignac (données générées pour la démonstration)"
FIRST_DAY = dt.date(2026, 9, 1)
LOSS_M3_PER_HOUR = 0.04  # 40 L/h lost between the district meter and the schools
LOSS_DAYS = 10
ON_CALL_EMAIL = "astreinte.services-techniques@merignac.example"
HOLIDAYS = [  # zone A (académie de Bordeaux), first and last day off
    ("Vacances de la Toussaint", dt.date(2026, 10, 17), dt.date(2026, 11, 1)),
    ("Vacances de Noël", dt.date(2026, 12, 19), dt.date(2027, 1, 3)),
    ("Vacances d'hiver", dt.date(2027, 2, 6), dt.date(2027, 2, 21)),
    ("Vacances de printemps", dt.date(2027, 4, 3), dt.date(2027, 4, 18)),
]


def mean_temperature(day: dt.date) -> float:
    """A plausible daily mean at Mérignac: a seasonal curve and a deterministic weather."""
    season = 13.5 + 7.5 * math.cos(2 * math.pi * (day.timetuple().tm_yday - 205) / 365.25)
    return round(season + random.Random(f"meteo-{day}").gauss(0, 1.8), 1)


def weather_file(days: list[dt.date]) -> bytes:
    """The days in the columns of a Météo-France « RR-T-Vent » file (the others empty)."""
    from mutualis.imports.importers.weather import WeatherImporter

    names = [c.name.upper() for c in WeatherImporter.columns]
    lines = [";".join(names)]
    for day in days:
        tm = mean_temperature(day)
        spread = 3.5 + random.Random(f"amplitude-{day}").random() * 3
        known = {
            "NUM_POSTE": STATION,
            "NOM_USUEL": "BORDEAUX-MERIGNAC (GENERE)",
            "LAT": "44.830667",
            "LON": "-0.691333",
            "ALTI": "47",
            "AAAAMMJJ": f"{day:%Y%m%d}",
            "TN": f"{tm - spread:.1f}",
            "TX": f"{tm + spread:.1f}",
            "TM": f"{tm:.1f}",
        }
        lines.append(";".join(known.get(name, "") for name in names))
    return ("\n".join(lines) + "\n").encode()


def _member() -> Member | None:
    """Mérignac when the iot demo equipped it, else the commune with the most water meters."""
    communes = Member.objects.filter(sensors__kind=SensorKind.WATER_METER).distinct()
    return communes.filter(insee_code="33281").first() or max(
        communes, key=lambda m: m.sensors.filter(kind=SensorKind.WATER_METER).count(), default=None
    )


def _new_sensor(member: Member, name: str, kind: str, quantity: str) -> tuple[Sensor, Measure]:
    sensor = Sensor.objects.create(
        member=member, name=name, kind=kind, commune_id=member.commune_id, installed_on=FIRST_DAY
    )
    return sensor, Measure.objects.create(sensor=sensor, quantity=quantity)


def _store(sensor: Sensor, measure: Measure, points: list[tuple[dt.datetime, float]]) -> None:
    Reading.objects.bulk_create(
        Reading(sensor=sensor, measure=measure, time=t, value=round(v, 4)) for t, v in points
    )
    last_time, last_value = points[-1]
    Sensor.objects.filter(pk=sensor.pk).update(last_seen_at=last_time)
    Measure.objects.filter(pk=measure.pk).update(last_time=last_time, last_value=last_value)


def _sector(member, name, meters, loss_since: dt.datetime | None, share: float) -> None:
    """A district meter reading, at the times its meters are read, their sum plus a loss."""
    series: dict[dt.datetime, float] = {}
    times: set[dt.datetime] | None = None
    for meter in meters:
        own = dict(
            Reading.objects.filter(sensor=meter, measure__quantity=Quantity.WATER_VOLUME)
            .order_by("time")
            .values_list("time", "value")
        )
        times = set(own) if times is None else times & set(own)
        for t, v in own.items():
            series[t] = series.get(t, 0.0) + v
    points = []
    for t in sorted(times or ()):
        lost = 0.0
        if loss_since is not None and t > loss_since:
            lost = LOSS_M3_PER_HOUR * (t - loss_since).total_seconds() / 3600
        points.append((t, 200.0 + series[t] * (1 + share) + lost))
    if not points:
        return
    district, measure = _new_sensor(
        member, f"Compteur de sectorisation — {name}", SensorKind.WATER_METER, Quantity.WATER_VOLUME
    )
    _store(district, measure, points)
    sector = MeterSector.objects.create(member=member, name=name, district=district)
    sector.behind.set(meters)


def _boiler(member: Member, station: WeatherStation, today: dt.date) -> None:
    """Daily gas use of a school: 60 kWh + 14 kWh per degree-day when open, 10 kWh (frost
    protection) when closed — but the last weekend, heated as a school day."""
    sensor, measure = _new_sensor(
        member,
        f"École élémentaire — {member.name}, chaufferie (gaz)",
        SensorKind.ENERGY_METER,
        Quantity.ENERGY,
    )
    HeatingProfile.objects.create(
        member=member, sensor=sensor, station=station, holiday_zone=HolidayZone.A
    )
    public = holidays_between(FIRST_DAY, today)
    last_saturday = today - dt.timedelta(days=(today.weekday() - 5) % 7 or 7)
    register, points, day = 12_000.0, [], FIRST_DAY
    while day < today:
        dju = max(0.0, 18 - mean_temperature(day))
        closed = (
            day.weekday() >= 5
            or day in public
            or any(start <= day <= end for _n, start, end in HOLIDAYS)
        )
        heated_anyway = last_saturday <= day <= last_saturday + dt.timedelta(days=1)
        noise = random.Random(f"chaufferie-{day}").gauss(0, 3)
        register += 10.0 if closed and not heated_anyway else 60 + 14 * dju + noise
        end_of_day = timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59)))
        points.append((end_of_day, register))
        day += dt.timedelta(days=1)
    _store(sensor, measure, points)


FOUND_LEAK_L_PER_HOUR = 14.0  # a school's toilet flush running day and night
FOUND_LEAK_NOTE = (
    "Chasse d'eau des sanitaires de l'école qui coulait en continu : mécanisme remplacé par "
    "les services techniques."
)


def _found_leak(member: Member, now: dt.datetime) -> int:
    """A night-flow leak found this year and repaired two days later, with its note: what the
    élus' page counts as water saved. Once only."""
    if Alert.objects.filter(member=member, resolved_note=FOUND_LEAK_NOTE).exists():
        return 0
    meter = (
        Sensor.objects.filter(member=member, kind=SensorKind.WATER_METER, active=True)
        .exclude(sector_as_district__isnull=False)
        .order_by("name", "pk")
        .first()
    )
    if meter is None:
        return 0
    days_back = min(45, timezone.localtime(now).timetuple().tm_yday - 1)  # this year
    opened = now - dt.timedelta(days=days_back)
    resolved = min(now, opened + dt.timedelta(days=2))
    technician = User.objects.filter(username="responsable").first()
    Alert.objects.create(
        member=member,
        sensor=meter,
        cause=Cause.NIGHT_FLOW,
        severity=SEVERITY[Cause.NIGHT_FLOW],
        status=AlertStatus.RESOLVED,
        opened_at=opened,
        last_seen_at=opened + dt.timedelta(days=1),
        occurrences=2,
        measured=FOUND_LEAK_L_PER_HOUR,
        window_start=opened - dt.timedelta(days=7),
        window_end=opened,
        acknowledged_at=opened + dt.timedelta(hours=3),
        acknowledged_by=technician,
        acknowledged_note="Le gardien de l'école vérifie les sanitaires ce matin.",
        resolved_at=resolved,
        resolved_by=technician,
        resolved_note=FOUND_LEAK_NOTE,
    )
    return 1


@transaction.atomic
def load_demo(now: dt.datetime | None = None) -> dict[str, int]:
    member = _member()
    if member is None:
        return {"secteurs de réseau": 0}
    now = now or timezone.now()
    _found_leak(member, now)
    OnCallContact.objects.get_or_create(
        member=member,
        email=ON_CALL_EMAIL,
        defaults={"name": "Astreinte des services techniques"},
    )
    if MeterSector.objects.exists():
        return {"secteurs de réseau": MeterSector.objects.count()}
    today = timezone.localdate(now)
    for name, start, end in HOLIDAYS:
        SchoolHoliday.objects.get_or_create(
            zone=HolidayZone.A, name=name, defaults={"starts_on": start, "ends_on": end}
        )
    days = [FIRST_DAY + dt.timedelta(days=d) for d in range((today - FIRST_DAY).days)]
    report = import_file(
        kind="weather", file_name="Q_33_demo-genere_RR-T-Vent.csv", content=weather_file(days)
    )
    if not report.ok:
        raise RuntimeError("; ".join(str(e) for e in report.errors))
    station = WeatherStation.objects.get(code=STATION)
    station.name = STATION_NAME
    station.save(update_fields=["name"])

    freshest = (
        Sensor.objects.filter(member=member, kind=SensorKind.WATER_METER, active=True)
        .exclude(last_seen_at__lt=now - dt.timedelta(hours=3))
        .order_by("name", "pk")
    )
    meters = list(freshest[:6])
    if len(meters) >= 2:
        half = len(meters) // 2
        losing = now - dt.timedelta(days=LOSS_DAYS)
        _sector(member, f"{member.name}, secteur des écoles", meters[:half], losing, 0.0)
        _sector(member, f"{member.name}, secteur de la mairie", meters[half:], None, 0.03)
    _boiler(member, station, today)
    return {
        "secteurs de réseau": MeterSector.objects.count(),
        "jours de météo": len(days),
        "bâtiments suivis (chauffage)": HeatingProfile.objects.count(),
    }
