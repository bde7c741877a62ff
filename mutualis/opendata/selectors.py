"""What is public: open-data sensors, never a water meter (a household's use is personal
data), never a meter under a monitoring consent, never an inactive sensor."""

from mutualis.alerts.models import MonitoringConsent
from mutualis.iot.models import Measure, Reading, Sensor, SensorKind

LICENCE = "Licence Ouverte 2.0"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"


def public_sensors():
    return (
        Sensor.objects.filter(open_data=True, active=True)
        .exclude(kind=SensorKind.WATER_METER)
        .exclude(pk__in=MonitoringConsent.objects.values("sensor"))
    )


def public_measures():
    return Measure.objects.filter(sensor__in=public_sensors())


def public_readings():
    return Reading.objects.filter(sensor__in=public_sensors())
