"""The ingestion worker when things go wrong, against a real Mosquitto of the test's own (its
port, its persistence directory), so that the test may stop and restart it: the broker
restarted mid-stream loses nothing and stores nothing twice; a flood of malformed and hostile
messages is quarantined, counted, and the worker keeps running in bounded memory."""

import getpass
import json
import math
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest

from conftest import IN_CI
from mutualis.iot.tests.messages import chirpstack_up
from mutualis.iot.tests.test_worker_broker import (  # noqa: F401 (fixtures)
    SENSORS,
    Run,
    database,
    migrated_database,
    uplinks,
)

pytestmark = pytest.mark.mqtt


class Broker:
    """A private Mosquitto: persistent sessions kept on disk across its restarts."""

    def __init__(self, directory: Path):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        (directory / "data").mkdir()
        self.config = directory / "mosquitto.conf"
        self.config.write_text(
            f"listener {self.port} 127.0.0.1\n"
            "allow_anonymous true\n"
            "persistence true\n"
            f"persistence_location {directory / 'data'}/\n"
            "max_queued_messages 20000\n"
            "log_type error\n"
            # Started as root, Mosquitto would become `mosquitto`, unable to write its data.
            f"user {getpass.getuser()}\n"
        )
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [shutil.which("mosquitto"), "-c", str(self.config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the private broker did not start")

    def stop(self) -> None:
        """SIGTERM: Mosquitto writes its sessions and queued messages to disk and exits."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(10)


@pytest.fixture
def private_broker(tmp_path):
    if shutil.which("mosquitto") is None:
        message = "the mosquitto binary is missing (make mosquitto installs it)"
        if IN_CI:
            pytest.fail(f"CI is set and {message}.")
        pytest.skip(message)
    broker = Broker(tmp_path)
    broker.start()
    yield broker
    broker.stop()


@pytest.fixture
def run(database, private_broker):  # noqa: F811
    return Run(database, port=private_broker.port)


def publish_all(port: int, messages) -> None:
    """Publishes at QoS 1 as fast as the broker takes them, and waits for the last ones."""
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    client.max_inflight_messages_set(200)
    client.max_queued_messages_set(0)
    client.connect("127.0.0.1", port)
    client.loop_start()
    try:
        infos = [client.publish(topic, body, qos=1) for topic, body in messages]
        for info in infos[-200:]:
            info.wait_for_publish(30)
    finally:
        client.loop_stop()
        client.disconnect()


def test_the_broker_restarted_mid_stream_loses_nothing_and_stores_nothing_twice(
    run, private_broker
):
    # Slow batches: when the broker stops, the worker holds messages stored but not acknowledged.
    # A plain subscription: Mosquitto 2.0 restores a session's shared subscriptions only when
    # its client subscribes again, so that what is published in between would go nowhere.
    worker = run.start("", "--batch-size=50", "--flush-seconds=1", "--group=")
    first = [(run.topic(t), b) for t, b in uplinks(0, 300)]
    publish_all(run.port, first)
    deadline = time.monotonic() + 20
    while run.readings() < 100 and time.monotonic() < deadline:
        time.sleep(0.02)
    private_broker.stop()  # mid-stream: some stored, some in flight, some still queued
    stored_when_stopped = run.readings()
    time.sleep(1.5)  # the worker notices, keeps what it has, and retries
    private_broker.start()
    second = [(run.topic(t), b) for t, b in uplinks(300, 300)]
    publish_all(run.port, second)
    run.wait_for(readings=600 * 2, quarantined=0, seconds=45)
    assert worker.poll() is None, "the worker survives the broker's restart"
    run.stop(worker)
    assert 0 < stored_when_stopped < 1200, "the broker must stop mid-stream"
    assert run.readings() == 1200
    assert run.quarantined() == {}
    assert run.count("SELECT COUNT(DISTINCT time) FROM iot_reading") == 600


def hostile(run: Run, count: int):
    """`count` messages, each different, that cannot be stored: every way a message can be
    wrong, from bad JSON to a megabyte, a NaN or a thousand nested arrays."""
    good_topic, good_body = chirpstack_up(SENSORS[0])
    template = json.loads(good_body)
    topic = run.topic(good_topic)
    unknown_topic = topic.replace(SENSORS[0], "{eui}")
    for n in range(count):
        kind = n % 10
        body = dict(template, deduplicationId=f"h-{n}", fCnt=n)
        if kind == 0:
            yield topic, b"{not json " + str(n).encode()
        elif kind == 1:
            yield topic, json.dumps(dict(body, deviceInfo=[n])).encode()
        elif kind == 2:
            yield topic, json.dumps(dict(body, fCnt=f"{n}")).encode()
        elif kind == 3:  # far too large for an uplink
            yield topic, json.dumps(dict(body, padding="x" * (200_000 + n))).encode()
        elif kind == 4:
            eui = f"ffff{n:012x}"
            unknown = dict(body, deviceInfo=dict(body["deviceInfo"], devEui=eui))
            yield unknown_topic.format(eui=eui), json.dumps(unknown).encode()
        elif kind == 5:
            yield topic, json.dumps(dict(body, object={"temperature": math.nan, "n": n})).encode()
        elif kind == 6:
            yield topic, b"[" * 5000 + str(n).encode() + b"]" * 5000
        elif kind == 7:
            nested: dict = {"n": n}
            for _ in range(30):
                nested = {"level": nested}
            yield topic, json.dumps(dict(body, object=nested)).encode()
        elif kind == 8:  # a topic under the subscription that names no device
            yield topic.replace(SENSORS[0], f"not-a-device-{n}"), json.dumps(body).encode()
        else:
            yield topic, b"\xff\xfe" + n.to_bytes(4, "big") + b"\x00binary"


def test_ten_thousand_hostile_messages_are_quarantined_and_the_worker_keeps_running(run):
    worker = run.start("", "--batch-size=500", "--flush-seconds=0.2")
    messages = list(hostile(run, 10_000))
    good = [(run.topic(t), b) for t, b in uplinks(0, 20)]
    publish_all(run.port, messages[:5000] + good + messages[5000:])
    run.wait_for(readings=40, quarantined=10_000, seconds=50)
    assert worker.poll() is None, "the worker keeps running"
    with open(f"/proc/{worker.pid}/status") as status:
        peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))
    totals = run.stop(worker)
    quarantined = run.quarantined()
    assert sum(quarantined.values()) == 10_000, quarantined
    assert quarantined == {"malformed": 9000, "unknown_device": 1000}
    assert run.count("SELECT COUNT(*) FROM iot_quarantinedmessage WHERE detail = ''") == 1000
    assert run.readings() == 40
    assert "10000 quarantined" in totals
    # At most a receive maximum of messages in flight, the oversized ones cut to their head.
    assert peak_kb < 400_000, f"the worker peaked at {peak_kb} kB"
    assert run.count("SELECT MAX(LENGTH(body)) FROM iot_quarantinedmessage") <= 4000
    print(json.dumps({"peak_kb": peak_kb}))
