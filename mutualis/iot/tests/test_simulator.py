"""`mutualis iot simulate` publishes ChirpStack v4 uplinks of the fleet that the ingestion
reads back into the sensors' measures."""

import io
import threading
import uuid

import paho.mqtt.client as mqtt
import pytest
from django.core.management import call_command

from conftest import require_service
from mutualis.iot.ingest.simulation import PROFILES, field_map
from mutualis.iot.ingest.uplinks import parse_message
from mutualis.iot.ingestion import values_for
from mutualis.iot.models import DeviceModel
from mutualis.iot.tests.factories import make_sensor

pytestmark = [pytest.mark.mqtt, pytest.mark.django_db]


def test_the_simulator_publishes_uplinks_the_ingestion_reads():
    require_service("Mosquitto (MQTT broker)", "127.0.0.1", 1883)
    profile = PROFILES["water_meter"]
    model = DeviceModel.objects.create(
        make=profile.make, model=profile.model, field_map=field_map(profile)
    )
    meters = [
        make_sensor(
            dev_eui=f"a81758fffe{n:06x}",
            make=profile.make,
            model=profile.model,
            quantities=profile.quantities,
        )
        for n in (1, 2)
    ]
    app = uuid.uuid4().hex
    received: list[tuple[str, bytes]] = []
    ready = threading.Event()
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    client.on_message = lambda c, u, msg: received.append((msg.topic, msg.payload))
    client.on_subscribe = lambda *args: ready.set()
    client.connect("127.0.0.1", 1883)
    client.subscribe(f"application/{app}/device/+/event/up", 1)
    client.loop_start()
    output = io.StringIO()
    try:
        assert ready.wait(5)
        call_command(
            "iot_simulate",
            rate=20,
            duration=1,
            leak="a81758fffe000002",
            application_id=app,
            stdout=output,
        )
        threading.Event().wait(1)
    finally:
        client.loop_stop()
        client.disconnect()
    assert "fuite sur a81758fffe000002" in output.getvalue()
    assert 15 <= len(received) <= 25
    uplinks = [parse_message(topic, body) for topic, body in received]
    assert {u.dev_eui for u in uplinks} == {m.devices.get().dev_eui for m in meters}
    values = values_for(uplinks[0], model)
    assert set(values) == {"water_volume", "battery"} and 3.0 < values["battery"] < 3.7
