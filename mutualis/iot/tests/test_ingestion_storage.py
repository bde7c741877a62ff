"""Uplinks become readings of the sensors' measures, once each, whatever comes twice or late;
what cannot be stored is quarantined with its reason and counted."""

import datetime as dt

import pytest

from mutualis.iot.ingest.lpp import encode
from mutualis.iot.ingestion import Message, ingest
from mutualis.iot.models import (
    Decoder,
    DeviceModel,
    Gateway,
    Quantity,
    QuarantinedMessage,
    Reading,
)
from mutualis.iot.services import DeviceData, sensor_replace
from mutualis.iot.tests.factories import make_sensor
from mutualis.iot.tests.messages import chirpstack_up, tts_up

pytestmark = pytest.mark.django_db

EUI = "0004a30b001c0530"


def mqtt(topic_body):
    topic, body = topic_body
    return Message(body=body, topic=topic)


@pytest.fixture
def sensor():
    DeviceModel.objects.create(make="Elsys", model="ERS", decoder=Decoder.LPP)
    return make_sensor(dev_eui=EUI)


def values(sensor):
    return sorted(
        (r.measure.quantity, r.time.isoformat(), r.value)
        for r in Reading.objects.filter(sensor=sensor).select_related("measure")
    )


def test_an_lpp_uplink_feeds_the_measures(sensor):
    result = ingest([mqtt(chirpstack_up(EUI))])
    assert result.uplinks == 1
    assert values(sensor) == [
        ("humidity", "2026-11-30T08:15:02.123456+00:00", 55.0),
        ("temperature", "2026-11-30T08:15:02.123456+00:00", 21.5),
    ]
    sensor.refresh_from_db()
    assert sensor.last_seen_at == dt.datetime(2026, 11, 30, 8, 15, 2, 123456, tzinfo=dt.UTC)


def test_a_redelivered_uplink_is_stored_once(sensor):
    message = mqtt(chirpstack_up(EUI))
    ingest([message, message])
    ingest([message])
    assert Reading.objects.count() == 2


def test_uplinks_out_of_order_all_land_and_last_seen_keeps_the_latest(sensor):
    late = chirpstack_up(EUI, f_cnt=8, time="2026-11-30T09:00:00Z", dedup="b")
    early = chirpstack_up(EUI, f_cnt=6, time="2026-11-30T07:00:00Z", dedup="a")
    ingest([mqtt(late)])
    ingest([mqtt(early)])
    assert Reading.objects.count() == 4
    sensor.refresh_from_db()
    assert sensor.last_seen_at == dt.datetime(2026, 11, 30, 9, tzinfo=dt.UTC)


def test_the_model_field_map_names_the_measure():
    DeviceModel.objects.create(
        make="Diehl", model="Hydrus", field_map={"index_m3": Quantity.WATER_VOLUME}
    )
    meter = make_sensor(
        dev_eui="70b3d57ed0051a2b", make="Diehl", model="Hydrus", quantities=[Quantity.WATER_VOLUME]
    )
    ingest([mqtt(tts_up(decoded={"index_m3": 1234.567, "alarm": 0}))])
    assert values(meter) == [("water_volume", "2026-11-30T08:20:00.987654+00:00", 1234.567)]


def test_a_value_the_sensor_does_not_measure_is_left_out(sensor):
    frame = encode([(1, 103, (200,)), (4, 101, (300,))])  # temperature and illuminance
    ingest([mqtt(chirpstack_up(EUI, payload=frame))])
    assert [q for q, _t, _v in values(sensor)] == ["temperature"]


def test_what_cannot_be_stored_is_quarantined_with_its_reason(sensor):
    result = ingest(
        [
            Message(body=b"{broken", topic=f"application/x/device/{EUI}/event/up"),
            mqtt(chirpstack_up("ffffffffffffffff")),
            mqtt(chirpstack_up(EUI, payload=b"\x01\xff\x00")),
        ]
    )
    assert dict(result.quarantined) == {"malformed": 1, "unknown_device": 1, "undecoded": 1}
    assert sorted(QuarantinedMessage.objects.values_list("reason", "dev_eui")) == [
        ("malformed", ""),
        ("undecoded", EUI),
        ("unknown_device", "ffffffffffffffff"),
    ]
    assert Reading.objects.count() == 0


def test_a_replaced_sensor_keeps_its_series(sensor):
    ingest([mqtt(chirpstack_up(EUI, time="2026-11-01T00:00:00Z", dedup="1"))])
    sensor_replace(
        sensor=sensor,
        date=dt.date(2026, 11, 15),
        device=DeviceData("0004a30b001c9999", "Elsys", "ERS"),
    )
    ingest([mqtt(chirpstack_up("0004a30b001c9999", time="2026-11-30T00:00:00Z", dedup="2"))])
    # A late uplink of the old device still lands in the same series.
    ingest([mqtt(chirpstack_up(EUI, time="2026-11-14T00:00:00Z", dedup="3"))])
    times = sorted({t[:10] for q, t, _v in values(sensor)})
    assert times == ["2026-11-01", "2026-11-14", "2026-11-30"]


def test_gateways_are_seen_with_their_latest_signal(sensor):
    Gateway.objects.create(eui="b827ebfffe61cc3d", name="Mairie")
    ingest([mqtt(chirpstack_up(EUI, time="2026-11-30T10:00:00Z", rssi=-80, snr=9.0))])
    ingest([mqtt(chirpstack_up(EUI, time="2026-11-30T09:00:00Z", dedup="old", rssi=-120))])
    gateway = Gateway.objects.get(eui="b827ebfffe61cc3d")
    assert (gateway.last_seen_at.hour, gateway.last_rssi, gateway.last_snr) == (10, -80, 9.0)
    ingest([mqtt(tts_up())])  # a gateway not known yet is registered for the operator
    assert Gateway.objects.filter(eui="00800000a00009f1", owner=None).exists()


def test_a_message_set_aside_twice_is_kept_once(sensor):
    broken = Message(body=b"{broken", topic=f"application/x/device/{EUI}/event/up")
    ingest([broken, broken])
    ingest([broken])
    assert QuarantinedMessage.objects.count() == 1
