"""Uplink messages as ChirpStack v4 and The Things Stack v3 send them, for the tests."""

import base64
import json

from mutualis.iot.ingest.lpp import encode

TEMPERATURE_FRAME = encode([(1, 103, (215,)), (2, 104, (110,))])  # 21.5 °C, 55 %


def chirpstack_up(
    dev_eui="0004a30b001c0530",
    *,
    f_cnt=7,
    time="2026-11-30T08:15:02.123456789Z",
    dedup="6a2fdc1e-4b8b-4f7e-9a40-3e5f0e0f6c11",
    payload=TEMPERATURE_FRAME,
    decoded=None,
    gateway="b827ebfffe61cc3d",
    rssi=-97,
    snr=7.5,
):
    """(topic, body) of a ChirpStack v4 uplink event."""
    body = {
        "deduplicationId": dedup,
        "time": time,
        "deviceInfo": {
            "tenantId": "52f14cd4-c6f1-4fbd-8f87-4025e1d49242",
            "tenantName": "Syndicat numérique",
            "applicationId": "17c82e96-be03-4f38-aef3-f83d48582d97",
            "applicationName": "batiments",
            "deviceProfileId": "14855bf7-d10d-4aee-b618-ebfcb64dc7ad",
            "deviceProfileName": "Elsys ERS",
            "deviceName": "ecole-jules-ferry",
            "devEui": dev_eui,
        },
        "devAddr": "01fb1b5b",
        "adr": True,
        "dr": 5,
        "fCnt": f_cnt,
        "fPort": 1,
        "confirmed": False,
        "data": base64.b64encode(payload).decode(),
        "rxInfo": [
            {
                "gatewayId": gateway,
                "uplinkId": 4217,
                "nsTime": "2026-11-30T08:15:02.201Z",
                "rssi": rssi,
                "snr": snr,
                "channel": 2,
                "location": {"latitude": 44.84, "longitude": -0.58},
                "context": "EFwMtA==",
                "metadata": {"region_config_id": "eu868"},
                "crcStatus": "CRC_OK",
            }
        ],
        "txInfo": {"frequency": 868500000, "modulation": {"lora": {"bandwidth": 125000}}},
    }
    if decoded is not None:
        body["object"] = decoded
    topic = f"application/17c82e96-be03-4f38-aef3-f83d48582d97/device/{dev_eui}/event/up"
    return topic, json.dumps(body).encode()


def tts_up(
    dev_eui="70b3d57ed0051a2b",
    *,
    f_cnt=42,
    received_at="2026-11-30T08:20:00.987654321Z",
    payload=TEMPERATURE_FRAME,
    decoded=None,
    gateway_eui="00800000a00009f1",
):
    """(topic, body) of a The Things Stack v3 uplink message."""
    message = {
        "f_port": 2,
        "f_cnt": f_cnt,
        "frm_payload": base64.b64encode(payload).decode(),
        "rx_metadata": [
            {
                "gateway_ids": {"gateway_id": "mairie-toit", "eui": gateway_eui.upper()},
                "time": "2026-11-30T08:20:00.912Z",
                "rssi": -104,
                "channel_rssi": -104,
                "snr": -3.25,
            }
        ],
        "settings": {"data_rate": {"lora": {"bandwidth": 125000, "spreading_factor": 9}}},
        "received_at": "2026-11-30T08:20:00.950Z",
    }
    if decoded is not None:
        message["decoded_payload"] = decoded
    body = {
        "end_device_ids": {
            "device_id": "compteur-stade",
            "application_ids": {"application_id": "eau"},
            "dev_eui": dev_eui.upper(),
            "join_eui": "0000000000000000",
            "dev_addr": "260B1234",
        },
        "correlation_ids": ["as:up:01HZ..."],
        "received_at": received_at,
        "uplink_message": message,
    }
    return "v3/eau@syndicat/devices/compteur-stade/up", json.dumps(body).encode()
