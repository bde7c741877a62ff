import datetime as dt
from decimal import Decimal

import factory

from mutualis.iot import services
from mutualis.iot.models import Quantity, Reading, SensorKind
from mutualis.members.tests.factories import MemberFactory


def make_sensor(
    member=None,
    *,
    dev_eui=None,
    quantities=(Quantity.TEMPERATURE, Quantity.HUMIDITY),
    make="Elsys",
    model="ERS",
    name="École Jules-Ferry, salle 2",
    kind=SensorKind.COMFORT,
    **fields,
):
    """A sensor with its device and measures, through the service."""
    member = member or MemberFactory()
    data = services.SensorData(
        member=member,
        name=name,
        kind=kind,
        quantities=tuple(quantities),
        commune=fields.pop("commune", member.commune),
        latitude=fields.pop("latitude", Decimal("44.837789")),
        longitude=fields.pop("longitude", Decimal("-0.579180")),
        installed_on=fields.pop("installed_on", dt.date(2026, 9, 1)),
        **fields,
    )
    device = services.DeviceData(dev_eui=dev_eui or _next_eui(), make=make, model=model)
    return services.sensor_create(data=data, device=device)


_eui_count = iter(range(1, 10**9))


def _next_eui() -> str:
    return f"a84041{next(_eui_count):010x}"


class ReadingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reading

    sensor = factory.LazyFunction(make_sensor)
    measure = factory.LazyAttribute(lambda r: r.sensor.measures.first())
    time = factory.Sequence(
        lambda n: dt.datetime(2026, 11, 1, tzinfo=dt.UTC) + dt.timedelta(hours=n)
    )
    value = 19.5
