"""ChirpStack v4 and The Things Stack v3 uplinks read into one record; anything else is refused
with a reason, never a crash."""

import contextlib
import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mutualis.engine.tests.profiles import examples
from mutualis.iot.ingest.uplinks import CHIRPSTACK, TTS, GatewaySignal, Malformed, parse_message
from mutualis.iot.tests.messages import TEMPERATURE_FRAME, chirpstack_up, tts_up


def test_a_chirpstack_uplink():
    uplink = parse_message(*chirpstack_up(decoded={"volume": 12.5, "leak": False, "name": "x"}))
    assert uplink.network == CHIRPSTACK
    assert uplink.dev_eui == "0004a30b001c0530"
    assert uplink.time == dt.datetime(2026, 11, 30, 8, 15, 2, 123456, tzinfo=dt.UTC)
    assert (uplink.f_cnt, uplink.f_port) == (7, 1)
    assert uplink.payload == TEMPERATURE_FRAME
    assert uplink.decoded == {"volume": 12.5, "leak": 0.0}
    assert uplink.gateways == (GatewaySignal("b827ebfffe61cc3d", -97, 7.5),)
    assert uplink.deduplication_id == "6a2fdc1e-4b8b-4f7e-9a40-3e5f0e0f6c11"


def test_a_things_stack_uplink():
    uplink = parse_message(*tts_up(decoded={"temperature": {"inside": 19.5}}))
    assert uplink.network == TTS
    assert uplink.dev_eui == "70b3d57ed0051a2b"
    assert uplink.time == dt.datetime(2026, 11, 30, 8, 20, 0, 987654, tzinfo=dt.UTC)
    assert (uplink.f_cnt, uplink.f_port) == (42, 2)
    assert uplink.decoded == {"temperature.inside": 19.5}
    assert uplink.gateways == (GatewaySignal("00800000a00009f1", -104, -3.25),)


def test_a_time_with_an_offset_is_read_in_utc():
    uplink = parse_message(*chirpstack_up(time="2026-11-30T09:15:02+01:00"))
    assert uplink.time == dt.datetime(2026, 11, 30, 8, 15, 2, tzinfo=dt.UTC)


def test_redeliveries_share_a_key_and_other_frames_do_not():
    first = parse_message(*tts_up(f_cnt=1))
    assert parse_message(*tts_up(f_cnt=1)).key == first.key
    assert parse_message(*tts_up(f_cnt=2)).key != first.key


def _broken(topic, body, **changes):
    data = json.loads(body)
    for path, value in changes.items():
        target = data
        *parents, last = path.split("__")
        for name in parents:
            target = target[name]
        target[last] = value
    return topic, json.dumps(data).encode()


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        (("application/x/device/0004a30b001c0530/event/up", b"{not json"), "json"),
        (("application/x/device/0004a30b001c0530/event/up", b"[1, 2]"), "json"),
        (("application/x/device/0004a30b001c0530/event/join", b"{}"), "topic"),
        (_broken(*chirpstack_up(), deviceInfo__devEui="zz"), "dev_eui"),
        (_broken(*chirpstack_up(), deviceInfo__devEui="0004a30b001c0531"), "dev_eui"),
        (_broken(*chirpstack_up(), time="hier"), "time"),
        (_broken(*chirpstack_up(), time="2026-11-30T08:15:02"), "time"),
        (_broken(*chirpstack_up(), data="***"), "payload"),
        (_broken(*chirpstack_up(), fCnt="sept"), "type"),
        (_broken(*chirpstack_up(), deviceInfo=None), "missing"),
        (_broken(*tts_up(), uplink_message=None), "missing"),
        (_broken(*tts_up(), received_at=None, uplink_message__received_at=None), "time"),
    ],
)
def test_a_malformed_message_is_refused_with_its_reason(message, reason):
    with pytest.raises(Malformed) as refused:
        parse_message(*message)
    assert refused.value.reason == reason


@examples(300)
@given(
    topic=st.sampled_from(
        ["application/a/device/0004a30b001c0530/event/up", "v3/a@t/devices/d/up", "x/y"]
    ),
    body=st.one_of(
        st.binary(max_size=200),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
            lambda inner: (
                st.lists(inner, max_size=4)
                | st.dictionaries(
                    st.sampled_from(
                        [
                            "deviceInfo",
                            "devEui",
                            "time",
                            "fCnt",
                            "data",
                            "object",
                            "rxInfo",
                            "end_device_ids",
                            "dev_eui",
                            "received_at",
                            "uplink_message",
                            "rx_metadata",
                            "frm_payload",
                            "decoded_payload",
                            "gatewayId",
                            "rssi",
                        ]
                    ),
                    inner,
                    max_size=6,
                )
            ),
            max_leaves=20,
        ).map(lambda value: json.dumps(value).encode()),
    ),
)
def test_any_message_is_read_or_refused_never_a_crash(topic, body):
    with contextlib.suppress(Malformed):
        parse_message(topic, body)


@pytest.mark.parametrize("value", ["Infinity", "NaN", "1e400", "7.5"])
def test_a_frame_counter_that_is_no_whole_number_is_refused(value):
    topic, body = chirpstack_up()
    body = body.replace(b'"fCnt": 7', f'"fCnt": {value}'.encode())
    with pytest.raises(Malformed):
        parse_message(topic, body)


def test_the_ingestion_parsers_do_not_need_django():
    import subprocess
    import sys

    code = (
        "import sys, mutualis.iot.ingest.uplinks, mutualis.iot.ingest.lpp; "
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
