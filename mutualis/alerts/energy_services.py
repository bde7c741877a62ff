"""Writes of what the heating rules read besides the readings: school holidays (national
calendar) and the heating profiles of buildings. The operator's pages and the imports both
go through here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mutualis.alerts.models import HeatingProfile, SchoolHoliday, WeatherStation
from mutualis.iot.models import Sensor, SensorKind


@dataclass(frozen=True)
class HolidayData:
    zone: str
    name: str
    starts_on: dt.date
    ends_on: dt.date


def _check_holiday(data: HolidayData, holiday: SchoolHoliday | None) -> None:
    if data.ends_on < data.starts_on:
        raise ValidationError({"ends_on": _("Le dernier jour précède le premier.")})
    same = SchoolHoliday.objects.filter(zone=data.zone, name=data.name, starts_on=data.starts_on)
    if holiday is not None:
        same = same.exclude(pk=holiday.pk)
    if same.exists():
        raise ValidationError({"name": _("Ces vacances sont déjà enregistrées pour cette zone.")})


@transaction.atomic
def holiday_save(*, data: HolidayData, holiday: SchoolHoliday | None = None) -> SchoolHoliday:
    _check_holiday(data, holiday)
    holiday = holiday or SchoolHoliday()
    holiday.zone, holiday.name = data.zone, data.name
    holiday.starts_on, holiday.ends_on = data.starts_on, data.ends_on
    holiday.full_clean()
    holiday.save()
    return holiday


@transaction.atomic
def holiday_delete(*, holiday: SchoolHoliday) -> None:
    holiday.delete()


@dataclass(frozen=True)
class ProfileData:
    sensor: Sensor
    station: WeatherStation
    weekdays: str
    holiday_zone: str
    closed_on_public_holidays: bool = True
    active: bool = True


FIELDS = ("station", "weekdays", "holiday_zone", "closed_on_public_holidays", "active")


@transaction.atomic
def profile_save(
    *, data: ProfileData, profile: HeatingProfile | None = None
) -> tuple[HeatingProfile, bool]:
    """Creates or changes the heating profile of an energy meter; the member is the
    meter's. Returns the profile and whether anything changed."""
    if data.sensor.kind != SensorKind.ENERGY_METER:
        raise ValidationError({"sensor": _("Un profil de chauffage suit un compteur d'énergie.")})
    if profile is None:
        profile = HeatingProfile.objects.filter(sensor=data.sensor).first()
    elif (
        profile.sensor_id != data.sensor.pk
        and HeatingProfile.objects.filter(sensor=data.sensor).exclude(pk=profile.pk).exists()
    ):
        raise ValidationError({"sensor": _("Ce compteur a déjà un profil de chauffage.")})
    weekdays = "".join(sorted(set(data.weekdays)))
    created = profile is None
    profile = profile or HeatingProfile()
    before = None if created else (profile.sensor_id, *(getattr(profile, f) for f in FIELDS))
    profile.member_id = data.sensor.member_id
    profile.sensor = data.sensor
    profile.station = data.station
    profile.weekdays = weekdays
    profile.holiday_zone = data.holiday_zone
    profile.closed_on_public_holidays = data.closed_on_public_holidays
    profile.active = data.active
    after = (profile.sensor_id, *(getattr(profile, f) for f in FIELDS))
    if before == after:
        return profile, False
    profile.full_clean()
    profile.save()
    return profile, True


@transaction.atomic
def profile_delete(*, profile: HeatingProfile) -> None:
    profile.delete()
