import datetime as dt

from mutualis.alerts.models import Alert, Cause, MeterSector, MonitoringConsent
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


builders = {Alert: make_alert, MonitoringConsent: make_consent, MeterSector: make_sector}
