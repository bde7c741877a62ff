"""Cayenne LPP frames decode with the specification's types, sizes and scales."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mutualis.engine.tests.profiles import examples
from mutualis.iot.ingest.lpp import TYPES, LppError, decode, encode


def test_the_specification_examples():
    # Two temperatures: channel 3 at 27.2 °C, channel 5 at 25.5 °C.
    assert decode(bytes.fromhex("03670110056700FF")) == {
        "temperature_3": 27.2,
        "temperature_5": 25.5,
    }
    assert decode(bytes.fromhex("0167FFD7")) == {"temperature_1": -4.1}
    assert decode(bytes.fromhex("067104D2FB2E0000")) == {
        "accelerometer_6.x": 1.234,
        "accelerometer_6.y": -1.234,
        "accelerometer_6.z": 0.0,
    }
    assert decode(bytes.fromhex("018806765FF2960A0003E8")) == {
        "gps_1.latitude": 42.3519,
        "gps_1.longitude": -87.9094,
        "gps_1.altitude": 10.0,
    }


def test_every_single_value_type():
    frame = bytes.fromhex("0000 010101 000202 FF380303 00640465 03E80566 010768 610873 27D8")
    assert decode(frame) == {
        "digital_input_0": 1,
        "digital_output_1": 0,
        "analog_input_2": -2.0,
        "analog_output_3": 1.0,
        "illuminance_4": 1000,
        "presence_5": 1,
        "humidity_7": 48.5,
        "barometer_8": 1020.0,
    }


@pytest.mark.parametrize(
    ("frame", "why"), [("03", "cut short"), ("0367", "cut short"), ("03FF01", "unknown LPP type")]
)
def test_a_broken_frame_is_refused(frame, why):
    with pytest.raises(LppError, match=why):
        decode(bytes.fromhex(frame))


def _item():
    def values(code):
        kind = TYPES[code]
        bits = kind.size * 8
        low, high = (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1) if kind.signed else (0, 2**bits - 1)
        return st.tuples(*[st.integers(low, high) for _ in kind.fields])

    return st.sampled_from(sorted(TYPES)).flatmap(
        lambda code: st.tuples(st.integers(0, 255), st.just(code), values(code))
    )


@examples(200)
@given(st.lists(_item(), max_size=8, unique_by=lambda item: item[0]))
def test_decoding_gives_back_every_encoded_value(items):
    decoded = decode(encode(items))
    assert len(decoded) == sum(len(TYPES[code].fields) for _c, code, _v in items)
    for channel, code, raws in items:
        kind = TYPES[code]
        for raw, name in zip(raws, kind.fields, strict=True):
            key = f"{kind.name}_{channel}" + (f".{name}" if name else "")
            assert round(decoded[key] * _scale(code, name)) == raw


def _scale(code, name):
    if code == 136:
        return 100 if name == "altitude" else 10_000
    return TYPES[code].divisor
