"""Writes of the sensor referential: sensors, their devices and measures, maintenance."""

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mutualis.iot.models import (
    BUILDING_MAX_LENGTH,
    Device,
    EventKind,
    Gateway,
    Measure,
    Sensor,
    SensorEvent,
)
from mutualis.members.models import Member
from mutualis.territory.models import Commune


@dataclass(frozen=True)
class SensorData:
    """What describes a sensor, as a form, the API or an imported row gives it.

    `building`: None when not given (a file without the column, an API client that does not
    send it): a new sensor takes the part of its name before the first comma, as sensors
    were grouped before the field existed; an existing one keeps its own."""

    member: Member
    name: str
    kind: str
    quantities: tuple[str, ...]
    commune: Commune | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    installed_on: dt.date | None = None
    reporting_minutes: int = 60
    open_data: bool = False
    active: bool = True
    building: str | None = None


@dataclass(frozen=True)
class DeviceData:
    dev_eui: str
    make: str = ""
    model: str = ""
    generation: str = ""


SENSOR_FIELDS = (
    "member",
    "name",
    "building",
    "kind",
    "commune",
    "latitude",
    "longitude",
    "installed_on",
    "reporting_minutes",
    "open_data",
    "active",
)


def _eui_taken(dev_eui: str, *, except_pk: int | None = None) -> None:
    others = Device.objects.filter(dev_eui=dev_eui)
    if except_pk is not None:
        others = others.exclude(pk=except_pk)
    if others.exists():
        raise ValidationError(
            {"dev_eui": _("Le DevEUI %(eui)s est déjà celui d'un appareil.") % {"eui": dev_eui}}
        )


def _set_measures(sensor: Sensor, quantities) -> bool:
    """The sensor measures these quantities. A measure with readings is never dropped (its
    series would go with it): asking for it is refused. True when something changed."""
    wanted = set(quantities)
    current = set(sensor.measures.values_list("quantity", flat=True))
    dropped = sensor.measures.filter(quantity__in=current - wanted)
    kept = [m for m in dropped if m.readings.exists()]
    if kept:
        raise ValidationError(
            {
                "quantities": _(
                    "%(names)s : des valeurs sont déjà enregistrées, la grandeur reste mesurée."
                )
                % {"names": ", ".join(str(m.get_quantity_display()) for m in kept)}
            }
        )
    Measure.objects.bulk_create([Measure(sensor=sensor, quantity=q) for q in wanted - current])
    removed = dropped.count()
    dropped.delete()
    return bool(wanted - current) or bool(removed)


@transaction.atomic
def sensor_create(*, data: SensorData, device: DeviceData, user=None) -> Sensor:
    if not data.quantities:
        raise ValidationError({"quantities": _("Choisissez au moins une grandeur mesurée.")})
    _eui_taken(device.dev_eui)
    if data.building is None:
        data = replace(data, building=building_of(data.name))
    sensor = Sensor(**{name: getattr(data, name) for name in SENSOR_FIELDS})
    sensor.full_clean()
    sensor.save()
    current = Device(sensor=sensor, installed_on=data.installed_on, **device.__dict__)
    current.full_clean()
    current.save()
    _set_measures(sensor, data.quantities)
    SensorEvent.objects.create(
        sensor=sensor,
        kind=EventKind.INSTALLATION,
        date=data.installed_on or dt.date.today(),
        details={"dev_eui": device.dev_eui},
        recorded_by=user,
    )
    return sensor


@transaction.atomic
def sensor_update(*, sensor: Sensor, data: SensorData, device: DeviceData | None = None) -> bool:
    """Changes the description (and the current device's make and model, not its DevEUI:
    a new device is a replacement). True when something changed."""
    if not data.quantities:
        raise ValidationError({"quantities": _("Choisissez au moins une grandeur mesurée.")})
    if data.building is None:
        data = replace(data, building=sensor.building)
    changed = [name for name in SENSOR_FIELDS if getattr(sensor, name) != getattr(data, name)]
    for name in changed:
        setattr(sensor, name, getattr(data, name))
    if changed:
        sensor.full_clean()
        sensor.save()
    if device is not None:
        current = current_device(sensor)
        if current is not None and current.dev_eui != device.dev_eui:
            raise ValidationError({"dev_eui": _("Un nouvel appareil se pose par un remplacement.")})
        if current is not None:
            wanted = {"make": device.make, "model": device.model, "generation": device.generation}
            differs = [k for k, v in wanted.items() if getattr(current, k) != v]
            for name in differs:
                setattr(current, name, wanted[name])
            if differs:
                current.save()
                changed += differs
    return _set_measures(sensor, data.quantities) or bool(changed)


def current_device(sensor: Sensor) -> Device | None:
    return sensor.devices.filter(removed_on__isnull=True).first()


@transaction.atomic
def sensor_battery_change(*, sensor: Sensor, date: dt.date, note: str = "", user=None):
    return SensorEvent.objects.create(
        sensor=sensor, kind=EventKind.BATTERY, date=date, note=note, recorded_by=user
    )


@transaction.atomic
def sensor_replace(
    *, sensor: Sensor, date: dt.date, device: DeviceData, note: str = "", user=None
) -> Device:
    """A new device continues the sensor: same measures, same series; the old one is
    removed on `date` (its late uplinks still land in the series)."""
    _eui_taken(device.dev_eui)
    old = current_device(sensor)
    if old is not None:
        if old.installed_on and date < old.installed_on:
            raise ValidationError(
                {"date": _("Le remplacement précède la pose de l'appareil actuel.")}
            )
        old.removed_on = date
        old.save(update_fields=["removed_on", "updated_at"])
    new = Device(sensor=sensor, installed_on=date, **device.__dict__)
    new.full_clean()
    new.save()
    SensorEvent.objects.create(
        sensor=sensor,
        kind=EventKind.REPLACEMENT,
        date=date,
        note=note,
        details={"old_dev_eui": old.dev_eui if old else "", "new_dev_eui": new.dev_eui},
        recorded_by=user,
    )
    return new


@transaction.atomic
def sensor_move(
    *,
    sensor: Sensor,
    date: dt.date,
    latitude: Decimal,
    longitude: Decimal,
    name: str = "",
    note: str = "",
    user=None,
) -> SensorEvent:
    details = {
        "from": [_text(sensor.latitude), _text(sensor.longitude)],
        "to": [_text(latitude), _text(longitude)],
    }
    sensor.latitude, sensor.longitude = latitude, longitude
    if name:
        details["name"] = [sensor.name, name]
        sensor.name = name
    sensor.full_clean()
    sensor.save()
    return SensorEvent.objects.create(
        sensor=sensor, kind=EventKind.MOVE, date=date, note=note, details=details, recorded_by=user
    )


@transaction.atomic
def sensor_note(*, sensor: Sensor, date: dt.date, note: str, user=None) -> SensorEvent:
    return SensorEvent.objects.create(
        sensor=sensor, kind=EventKind.NOTE, date=date, note=note, recorded_by=user
    )


def building_of(name: str) -> str:
    """The building of a sensor named the referential's way before the field existed: the
    part of its name before the first comma (« École Jules-Ferry, salle 2 »)."""
    return name.split(",", 1)[0].strip()[:BUILDING_MAX_LENGTH]


def _text(value) -> str:
    return "" if value is None else str(value)


@dataclass(frozen=True)
class GatewayData:
    """What describes a gateway, as the operator's or a member's form gives it. Its
    identifier is set at creation; what the network reports (last seen, signal) is written by
    the ingestion only."""

    name: str
    owner: Member | None = None
    commune: Commune | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None


GATEWAY_FIELDS = ("name", "owner", "commune", "latitude", "longitude")


@transaction.atomic
def gateway_create(*, eui: str, data: GatewayData) -> Gateway:
    if Gateway.objects.filter(eui=eui).exists():
        raise ValidationError(
            {"eui": _("La passerelle %(eui)s est déjà enregistrée.") % {"eui": eui}}
        )
    gateway = Gateway(eui=eui, **{name: getattr(data, name) for name in GATEWAY_FIELDS})
    gateway.full_clean()
    gateway.save()
    return gateway


@transaction.atomic
def gateway_update(*, gateway: Gateway, data: GatewayData) -> bool:
    """True when something changed. The identifier stays (the network names the gateway by
    it); the last sighting and signal are the ingestion's."""
    changed = [name for name in GATEWAY_FIELDS if getattr(gateway, name) != getattr(data, name)]
    for name in changed:
        setattr(gateway, name, getattr(data, name))
    if changed:
        gateway.full_clean()
        gateway.save(update_fields=[*changed, "updated_at"])
    return bool(changed)
