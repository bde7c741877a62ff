from mutualis.iot.models import Gateway, Reading, Sensor
from mutualis.iot.tests.factories import ReadingFactory, make_sensor


def _sensor(member):
    return Sensor.objects.filter(member=member).first() or make_sensor(member)


builders = {
    Sensor: _sensor,
    Reading: lambda a: ReadingFactory(sensor=_sensor(a)),
    Gateway: lambda a: Gateway.objects.create(eui="b827ebfffe61cc3d", name="Toit", owner=a),
}
