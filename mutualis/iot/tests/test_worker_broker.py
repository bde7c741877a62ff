"""The ingestion worker against the real broker (Mosquitto on 127.0.0.1:1883).

Each test follows topics of its own (a fresh application id), so that other runs on the same
broker never mix in. The worker runs as its own process, on a database file of its own.
"""

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest

from conftest import require_service
from mutualis.iot.tests.messages import chirpstack_up, tts_up

pytestmark = pytest.mark.mqtt
ROOT = Path(__file__).resolve().parents[3]
SENSORS = [f"0004a30b001c{n:04x}" for n in range(4)]
SETUP = """
from mutualis.iot.models import Decoder, DeviceModel
from mutualis.iot.tests.factories import make_sensor
DeviceModel.objects.create(make="Elsys", model="ERS", decoder=Decoder.LPP)
for eui in {euis!r}:
    make_sensor(dev_eui=eui)
make_sensor(dev_eui="70b3d57ed0051a2b", make="Other", model="T", quantities=["temperature"])
"""


@pytest.fixture
def broker():
    require_service("Mosquitto (MQTT broker)", "127.0.0.1", 1883)


def environment(path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{path}",
        "DJANGO_SETTINGS_MODULE": "mutualis.config.settings.test",
    }


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory) -> Path:
    """The migrated database with the sensors, made once per session (per xdist worker): the
    migrations take far longer than a test, and each test works on a copy of its own."""
    path = tmp_path_factory.mktemp("iot-template") / "iot.sqlite3"
    env = environment(path)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True, cwd=ROOT)
    subprocess.run(
        [*manage, "shell", "-c", SETUP.format(euis=SENSORS)], env=env, check=True, cwd=ROOT
    )
    return path


@pytest.fixture
def database(tmp_path, migrated_database):
    path = tmp_path / "iot.sqlite3"
    with sqlite3.connect(migrated_database) as source, sqlite3.connect(path) as copy:
        source.backup(copy)
    source.close()
    copy.close()
    return path, environment(path)


@pytest.fixture
def run(database, broker):
    run = Run(database)
    yield run
    run.forget()


class Run:
    """Unique topics, client id and share group for one test."""

    def __init__(self, database, port: int = 1883):
        self.path, self.env = database
        self.port = port
        self.app = uuid.uuid4().hex
        self.client_id = f"mutualis-test-{self.app[:8]}"
        self.group = f"t{self.app[:8]}"
        self.tts_app = f"t{self.app[:8]}@syndicat"

    def topic(self, topic: str) -> str:
        if topic.startswith("application/"):
            return topic.replace("17c82e96-be03-4f38-aef3-f83d48582d97", self.app)
        return topic.replace("eau@syndicat", self.tts_app)

    def start(self, client_id: str = "", *options: str) -> subprocess.Popen:
        worker = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "iot_ingest",
                f"--client-id={client_id or self.client_id}",
                f"--port={self.port}",
                f"--group={self.group}",
                f"--topic=application/{self.app}/device/+/event/up",
                f"--topic=v3/{self.tts_app}/devices/+/up",
                "--batch-size=7",
                "--flush-seconds=0.2",
                *options,
            ],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        line = worker.stdout.readline()
        assert line.startswith("ready"), line
        return worker

    def publish(self, messages) -> None:
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
        client.max_inflight_messages_set(100)
        client.connect("127.0.0.1", self.port)
        client.loop_start()
        try:
            for topic, body in messages:
                client.publish(self.topic(topic), body, qos=1).wait_for_publish(5)
        finally:
            client.loop_stop()
            client.disconnect()

    def count(self, sql: str) -> int:
        with sqlite3.connect(self.path, timeout=10) as db:
            return db.execute(sql).fetchone()[0]

    def readings(self) -> int:
        return self.count("SELECT COUNT(*) FROM iot_reading")

    def quarantined(self) -> dict:
        with sqlite3.connect(self.path, timeout=10) as db:
            return dict(
                db.execute("SELECT reason, COUNT(*) FROM iot_quarantinedmessage GROUP BY reason")
            )

    def wait_for(self, readings: int, quarantined: int, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.readings() >= readings and sum(self.quarantined().values()) >= quarantined:
                time.sleep(0.5)  # anything more would be a duplicate: give it time to show
                return
            time.sleep(0.1)

    def stop(self, worker) -> str:
        """Stops the worker as systemd does (SIGTERM); its last line gives its totals."""
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(20) == 0
        last = worker.stdout.read().strip().splitlines()[-1]
        worker.stdout.close()
        return last

    def forget(self, *client_ids: str) -> None:
        """Ends the workers' persistent sessions on the broker (tests only)."""
        for client_id in client_ids or (self.client_id,):
            client = mqtt.Client(
                mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=True
            )
            client.connect("127.0.0.1", self.port)
            client.loop(0.2)
            client.disconnect()

    def kill(self, worker) -> None:
        worker.kill()  # SIGKILL: no goodbye, the batches in flight never acknowledged
        worker.wait()
        worker.stdout.close()


def uplinks(start: int, count: int):
    """`count` distinct uplinks spread over the sensors, each with two readings."""
    for n in range(start, start + count):
        eui = SENSORS[n % len(SENSORS)]
        yield chirpstack_up(
            eui, f_cnt=n, time=f"2026-11-30T{n // 60:02d}:{n % 60:02d}:00Z", dedup=f"d-{n}"
        )


def test_uplinks_duplicates_and_malformed_messages(run):
    worker = run.start()
    good = list(uplinks(0, 40))
    malformed = [
        (chirpstack_up(SENSORS[0])[0], b"{nope"),
        chirpstack_up(SENSORS[0], time="yesterday"),
    ]
    unknown = [chirpstack_up("ffffffffffffffff")]
    run.publish([*good, *good[:10], *malformed, *unknown, tts_up(decoded={"temperature": 4.5})])
    run.wait_for(readings=40 * 2 + 1, quarantined=3)
    run.stop(worker)
    assert run.readings() == 81
    assert run.quarantined() == {"malformed": 2, "unknown_device": 1}


def test_a_worker_killed_mid_stream_loses_nothing_and_stores_nothing_twice(run):
    worker = run.start()
    messages = list(uplinks(0, 400))
    messages[100:100] = [(chirpstack_up(SENSORS[1])[0], b"not json"), chirpstack_up("ffff" * 4)]
    stream = threading.Thread(target=run.publish, args=(messages,))
    stream.start()  # the stream goes on while the worker is killed and restarted
    deadline = time.monotonic() + 20
    while run.readings() < 60 and time.monotonic() < deadline:
        time.sleep(0.01)
    run.kill(worker)
    stored_when_killed = run.readings()
    time.sleep(0.5)  # more messages come while no worker runs: the broker keeps them
    worker = run.start()
    stream.join()
    run.wait_for(readings=400 * 2, quarantined=2, seconds=60)
    run.stop(worker)
    assert 0 < stored_when_killed < 800, "the kill must happen mid-stream"
    assert run.readings() == 800
    assert run.quarantined() == {"malformed": 1, "unknown_device": 1}
    print(json.dumps({"stored_when_killed": stored_when_killed}))


def test_two_workers_share_the_stream_each_message_once(run):
    first, second = f"{run.client_id}-a", f"{run.client_id}-b"
    workers = [run.start(first), run.start(second)]
    run.publish(list(uplinks(0, 200)))
    run.wait_for(readings=400, quarantined=0)
    totals = [run.stop(worker) for worker in workers]
    run.forget(first, second)
    assert run.readings() == 400
    shares = [int(re.match(r"stopped: (\d+) uplinks", line).group(1)) for line in totals]
    assert sum(shares) == 200 and min(shares) > 0, totals
