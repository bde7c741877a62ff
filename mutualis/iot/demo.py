"""The demo's fleet of connected objects: about 2,900 sensors of ~40 member communes and their
buildings (water meters, school rooms, PV production, public lighting, a few air-quality
stations), a dozen gateways, three months of history, and the months' active sensors posted
as usage of « Plateforme objets connectés » (billed by the demo's run).

Runs after the demo operator (mutualis.demo) and before the billing demo; deterministic and
idempotent (a fleet in place is left as it is). The history is written set-based: a value a
day for three months, a value an hour for the last day (on PostgreSQL in the monthly
partitions, created first), then the rollups built in one statement per table.
"""

import datetime as dt
import random
from decimal import Decimal

import numpy as np
from django.db import transaction
from django.utils import timezone

from mutualis.iot import ingest_store, storage
from mutualis.iot.ingest.simulation import EPOCH, PROFILES, Profile, field_map, values
from mutualis.iot.models import (
    Decoder,
    Device,
    DeviceModel,
    EventKind,
    Gateway,
    Measure,
    Reading,
    Sensor,
    SensorEvent,
)
from mutualis.iot.rollups import rollups_fold_all
from mutualis.iot.services import building_of
from mutualis.iot.usage import iot_usage_post
from mutualis.members.models import Member, MemberKind

COMMUNES = 40
HISTORY_START = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
HOURLY_DAYS = 1
INSTALLED_ON = dt.date(2026, 6, 15)
WATCHED_COMMUNE = "33281"  # Mérignac: the alerts demo's commune
WATCHED_HOURLY_DAYS = 16  # the leak rules compare a night with the 14 previous ones
SILENT_SHARE = 0.02  # sensors fallen silent a few days ago (for the hypervision)
# Buildings of a commune and the sensors they hold: (name, profile, count per 2,000 inhabitants).
BUILDINGS = [
    ("Mairie", "water_meter", 1),
    ("École élémentaire", "school_room", 5),
    ("École maternelle", "school_room", 3),
    ("École élémentaire", "water_meter", 1),
    ("Salle des fêtes", "water_meter", 1),
    ("Gymnase", "water_meter", 1),
    ("Stade", "water_meter", 1),
    ("Cimetière", "water_meter", 1),
    ("Ateliers municipaux", "pv", 1),
    ("Gymnase", "pv", 1),
    ("Éclairage public", "lighting", 4),
]
AIR_STATIONS = 6
GIRONDE = ((44.25, 45.45), (-1.15, 0.25))


def _rng(*key: object) -> random.Random:
    return random.Random("-".join(map(str, key)))


def _communes() -> list[Member]:
    """About forty member communes, the largest first and some rural ones."""
    members = list(
        Member.objects.filter(kind=MemberKind.COMMUNE, memberships__isnull=False)
        .distinct()
        .order_by("-population", "insee_code")
    )
    large = members[: COMMUNES // 2]
    rest = members[COMMUNES // 2 :]
    rural = _rng("iot", "rural").sample(rest, min(len(rest), COMMUNES - len(large)))
    return large + sorted(rural, key=lambda m: m.insee_code)


def _device_models() -> None:
    for profile in PROFILES.values():
        DeviceModel.objects.get_or_create(
            make=profile.make,
            model=profile.model,
            generation="",
            defaults={"decoder": Decoder.NETWORK, "field_map": field_map(profile)},
        )


def _place(member: Member) -> tuple[float, float]:
    rng = _rng("iot", "place", member.insee_code)
    (lat0, lat1), (lon0, lon1) = GIRONDE
    return rng.uniform(lat0, lat1), rng.uniform(lon0, lon1)


def _plan(communes: list[Member]) -> list[tuple[Member, str, Profile, tuple[float, float]]]:
    """(member, name, profile, position) of each sensor of the fleet."""
    plan = []
    for member in communes:
        lat, lon = _place(member)
        rng = _rng("iot", "plan", member.insee_code)
        scale = max(1, min(6, (member.population or 0) // 3000))
        for building, code, per in BUILDINGS:
            for n in range(1, per * scale + 1):
                name = f"{building} — {member.name}"
                if code == "school_room":
                    name = f"{building} — {member.name}, salle {n}"
                elif code == "lighting":
                    name = f"Éclairage public — {member.name}, armoire {n}"
                elif per * scale > 1:
                    name = f"{building} {n} — {member.name}"
                position = (lat + rng.uniform(-0.02, 0.02), lon + rng.uniform(-0.02, 0.02))
                plan.append((member, name, PROFILES[code], position))
    for n, member in enumerate(communes[:AIR_STATIONS]):
        lat, lon = _place(member)
        plan.append(
            (
                member,
                f"Station qualité de l'air {n + 1} — {member.name}",
                PROFILES["air_quality"],
                (lat, lon),
            )
        )
    return plan


def _gateways(communes: list[Member]) -> list[Gateway]:
    gateways = []
    for n, member in enumerate(communes[::3]):
        lat, lon = _place(member)
        gateway, _ = Gateway.objects.get_or_create(
            eui=f"b827ebfffe{n:06x}",
            defaults={
                "name": f"Passerelle {member.name} (toit de la mairie)",
                "latitude": Decimal(f"{lat:.6f}"),
                "longitude": Decimal(f"{lon:.6f}"),
                "commune_id": member.commune_id,
            },
        )
        gateways.append(gateway)
    return gateways


def _fleet(plan) -> list[tuple[Sensor, Profile]]:
    sensors = Sensor.objects.bulk_create(
        Sensor(
            member=member,
            name=name[:200],
            building=building_of(name),
            kind=profile.kind,
            commune_id=member.commune_id,
            latitude=Decimal(f"{lat:.6f}"),
            longitude=Decimal(f"{lon:.6f}"),
            installed_on=INSTALLED_ON,
            reporting_minutes=profile.interval_minutes,
        )
        for member, name, profile, (lat, lon) in plan
    )
    if sensors and sensors[0].pk is None:  # a backend that does not return the keys
        sensors = list(Sensor.objects.order_by("pk"))
    pairs = [(sensor, profile) for sensor, (_m, _n, profile, _p) in zip(sensors, plan, strict=True)]
    Device.objects.bulk_create(
        Device(
            sensor=sensor,
            dev_eui=demo_eui(sensor.pk),
            make=profile.make,
            model=profile.model,
            installed_on=INSTALLED_ON,
        )
        for sensor, profile in pairs
    )
    Measure.objects.bulk_create(
        Measure(sensor=sensor, quantity=q) for sensor, profile in pairs for q in profile.quantities
    )
    SensorEvent.objects.bulk_create(
        SensorEvent(sensor=sensor, kind=EventKind.INSTALLATION, date=INSTALLED_ON)
        for sensor, _profile in pairs
    )
    return pairs


def demo_eui(pk: int) -> str:
    return f"a81758fffe{pk:06x}"


def _history(pairs, now: dt.datetime) -> int:
    """A value a day at noon for three months, then a value an hour; the silent sensors stop
    a few days ago. Written by profile, in chunks, set-based."""
    measures: dict[tuple[int, str], int] = {
        (s, q): pk for pk, s, q in Measure.objects.values_list("pk", "sensor_id", "quantity")
    }
    end = now.replace(minute=0, second=0, microsecond=0)
    hourly_from = end - dt.timedelta(days=HOURLY_DAYS)
    days = (hourly_from - HISTORY_START).days
    moments = [HISTORY_START + dt.timedelta(days=d, hours=11) for d in range(days)]
    moments += [hourly_from + dt.timedelta(hours=h) for h in range(HOURLY_DAYS * 24 + 1)]
    at = np.array([(m - EPOCH).total_seconds() / 3600 for m in moments])
    for table in storage.PARTITIONED:  # PostgreSQL: the history in its monthly partitions
        if storage.is_partitioned(table):
            months = storage.months_between(HISTORY_START.date(), end.date())
            storage.partitions_create(table, months)
    written = 0
    seen: dict[int, dt.datetime] = {}
    for code, profile in PROFILES.items():
        group = [sensor for sensor, p in pairs if p.code == code]
        if not group:
            continue
        seeds = np.array([float(s.pk) for s in group])
        table = values(profile, seeds[:, None], at[None, :])
        stops = [
            len(moments) - 1 - _rng("iot", "silent", s.pk).randint(30, 90)
            if _rng("iot", "silent?", s.pk).random() < SILENT_SHARE
            else len(moments) - 1
            for s in group
        ]
        for start in range(0, len(group), 200):
            columns: tuple[list, list, list, list] = ([], [], [], [])
            for i in range(start, min(start + 200, len(group))):
                sensor, last = group[i], stops[i]
                for quantity in profile.quantities:
                    series = table[quantity][i]
                    measure = measures[(sensor.pk, quantity)]
                    columns[0].extend([sensor.pk] * (last + 1))
                    columns[1].extend([measure] * (last + 1))
                    columns[2].extend(moments[: last + 1])
                    columns[3].extend(series[: last + 1].tolist())
                seen[sensor.pk] = moments[last]
            ingest_store.readings_insert(*columns)
            written += len(columns[3])
    written += _watched_hourly(pairs, seen, end)
    ingest_store.sensors_seen(seen)
    rollups_fold_all(HISTORY_START)
    return written


def _watched(pairs) -> list[Sensor]:
    """The water meters of Mérignac (the alerts demo's commune), else of the commune with the
    most of them."""
    meters = [s for s, p in pairs if p.code == "water_meter"]
    by_member: dict[int, list[Sensor]] = {}
    for sensor in meters:
        by_member.setdefault(sensor.member_id, []).append(sensor)
    if not by_member:
        return []
    chosen = next(
        (m for m in by_member if by_member[m][0].member.insee_code == WATCHED_COMMUNE),
        max(by_member, key=lambda m: len(by_member[m])),
    )
    return by_member[chosen]


def _watched_hourly(pairs, seen: dict[int, dt.datetime], end: dt.datetime) -> int:
    """A value an hour over the last ``WATCHED_HOURLY_DAYS`` days for the watched commune's
    water index (the leak rules read nights hour by hour), all meters as one table."""
    meters = [s for s in _watched(pairs) if s.pk in seen]
    if not meters:
        return 0
    measures = dict(
        Measure.objects.filter(sensor__in=meters, quantity="water_volume").values_list(
            "sensor_id", "pk"
        )
    )
    moments = [end - dt.timedelta(hours=h) for h in range(WATCHED_HOURLY_DAYS * 24, -1, -1)]
    at = np.array([(m - EPOCH).total_seconds() / 3600 for m in moments])
    seeds = np.array([float(s.pk) for s in meters])
    index = values(PROFILES["water_meter"], seeds[:, None], at[None, :])["water_volume"]
    columns: tuple[list, list, list, list] = ([], [], [], [])
    for i, sensor in enumerate(meters):
        last = sum(1 for m in moments if m <= seen[sensor.pk])  # a silent meter stays silent
        columns[0].extend([sensor.pk] * last)
        columns[1].extend([measures[sensor.pk]] * last)
        columns[2].extend(moments[:last])
        columns[3].extend(index[i, :last].tolist())
    before = Reading.objects.filter(sensor__in=meters).count()
    ingest_store.readings_insert(*columns)  # the hours already there are left as they are
    return Reading.objects.filter(sensor__in=meters).count() - before


@transaction.atomic
def load_demo() -> dict[str, int]:
    _device_models()
    communes = _communes()
    gateways = _gateways(communes)
    written = 0
    if not Sensor.objects.exists():
        pairs = _fleet(_plan(communes))
        written = _history(pairs, timezone.now())
        for gateway in gateways:
            gateway.last_seen_at = timezone.now()
            gateway.last_rssi = -90 - gateway.pk % 20
            gateway.last_snr = 6.5
        # The last gateway stays unseen: the hypervision has one to show.
        Gateway.objects.bulk_update(gateways[:-1], ["last_seen_at", "last_rssi", "last_snr"])
        today = timezone.localdate()
        month = (HISTORY_START.year, HISTORY_START.month)
        while month <= (today.year, today.month):
            iot_usage_post(*month)
            month = (month[0] + month[1] // 12, month[1] % 12 + 1)
    return {
        "capteurs": Sensor.objects.count(),
        "passerelles": Gateway.objects.count(),
        "valeurs mesurées": written or Reading.objects.count(),
    }
