import datetime as dt

from mutualis.alerts.models import (
    Alert,
    Cause,
    HeatingProfile,
    MeterSector,
    MonitoringConsent,
    SchoolHoliday,
    WeatherStation,
)
from mutualis.iot.models import Quantity, SensorKind
from mutualis.iot.tests.factories import make_sensor

AT = dt.datetime(2026, 11, 20, 6, tzinfo=dt.UTC)


def water_meter(member, **fields):
    return make_sensor(
        member,
        name=fields.pop("name", "Logement, compteur d'eau"),
        kind=SensorKind.WATER_METER,
        quantities=(Quantity.WATER_VOLUME,),
        **fields,
    )


def make_alert(member, *, cause=Cause.NIGHT_FLOW, sensor=None):
    sensor = sensor or water_meter(member)
    return Alert.objects.create(
        member=member,
        sensor=sensor,
        cause=cause,
        opened_at=AT,
        last_seen_at=AT,
        window_start=AT - dt.timedelta(days=7),
        window_end=AT,
    )


def make_consent(member, *, sensor=None, viewers=()):
    consent = MonitoringConsent.objects.create(
        member=member,
        sensor=sensor or water_meter(member, name="Logement de Mme D."),
        person="Mme D.",
        given_by="Mme D.",
        given_on=dt.date(2026, 10, 1),
        contacts="Paul D. <paul.d@example.fr>",
    )
    consent.viewers.set(viewers)
    return consent


def make_sector(member):
    district = water_meter(member, name="Compteur de sectorisation")
    sector = MeterSector.objects.create(member=member, name="Bourg", district=district)
    sector.behind.set(
        [water_meter(member, name="École"), water_meter(member, name="Salle des fêtes")]
    )
    return sector


def energy_meter(member, **fields):
    return make_sensor(
        member,
        name=fields.pop("name", "Groupe scolaire, chaufferie"),
        kind=SensorKind.ENERGY_METER,
        quantities=(Quantity.ENERGY,),
        **fields,
    )


def station():
    return WeatherStation.objects.get_or_create(code="33281001", defaults={"name": "Mérignac"})[0]


def make_heating_profile(member):
    return HeatingProfile.objects.create(
        member=member, sensor=energy_meter(member), station=station()
    )


def make_school_holiday(member):
    """Shared data (the national calendar): ``member`` is not used."""
    return SchoolHoliday.objects.create(
        zone="A",
        name="Vacances de la Toussaint",
        starts_on=dt.date(2026, 10, 17),
        ends_on=dt.date(2026, 11, 1),
    )


builders = {
    Alert: make_alert,
    MonitoringConsent: make_consent,
    MeterSector: make_sector,
    HeatingProfile: make_heating_profile,
    SchoolHoliday: make_school_holiday,
}
