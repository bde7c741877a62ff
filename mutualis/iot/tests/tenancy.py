from django.utils import timezone

from mutualis.iot.models import DailyRollup, Gateway, HourlyRollup, Reading, Sensor
from mutualis.iot.rollups import rollups_refresh
from mutualis.iot.tests.factories import ReadingFactory, make_sensor


def _sensor(member):
    return Sensor.objects.filter(member=member).first() or make_sensor(member)


def _rolled_up(member, model):
    reading = ReadingFactory(sensor=_sensor(member), time=timezone.now())
    rollups_refresh([(reading.sensor_id, reading.measure_id, reading.time)])
    return model.objects.get(sensor=reading.sensor, measure=reading.measure)


builders = {
    Sensor: _sensor,
    Reading: lambda a: ReadingFactory(sensor=_sensor(a)),
    HourlyRollup: lambda a: _rolled_up(a, HourlyRollup),
    DailyRollup: lambda a: _rolled_up(a, DailyRollup),
    Gateway: lambda a: Gateway.objects.create(eui="b827ebfffe61cc3d", name="Toit", owner=a),
}
