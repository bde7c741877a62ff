"""Whatever the order, the batching and the redeliveries of a set of uplinks, the readings
stored are those of the distinct uplinks, once each."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mutualis.engine.tests.profiles import examples
from mutualis.iot.ingestion import Message, ingest
from mutualis.iot.models import Decoder, DeviceModel, Reading
from mutualis.iot.tests.factories import make_sensor
from mutualis.iot.tests.messages import chirpstack_up

pytestmark = pytest.mark.django_db
EUIS = ("0004a30b001c0001", "0004a30b001c0002")
UPLINKS = [
    Message(*reversed(chirpstack_up(EUIS[n % 2], time=f"2026-11-30T10:{n:02d}:00Z", dedup=str(n))))
    for n in range(6)
]


@pytest.fixture
def sensors():
    DeviceModel.objects.create(make="Elsys", model="ERS", decoder=Decoder.LPP)
    return [make_sensor(dev_eui=eui) for eui in EUIS]


@settings(examples(40), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    deliveries=st.lists(st.integers(0, len(UPLINKS) - 1), min_size=1, max_size=20),
    batch=st.integers(1, 7),
)
def test_any_order_batching_and_redelivery_store_each_reading_once(sensors, deliveries, batch):
    with transaction.atomic():
        messages = [UPLINKS[i] for i in deliveries]
        for start in range(0, len(messages), batch):
            ingest(messages[start : start + batch])
        stored = sorted(Reading.objects.values_list("sensor_id", "measure__quantity", "time"))
        assert len(stored) == len(set(stored)) == 2 * len(set(deliveries))
        transaction.set_rollback(True)
