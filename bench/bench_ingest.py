"""Benchmark: uplinks end to end, publisher → Mosquitto → `mutualis iot ingest` → database,
beside the broker's own ceiling measured in the same run.

Run with `.venv/bin/python bench/bench_ingest.py` (`make bench` runs every bench_*.py). Needs
the MQTT broker (IOT_MQTT_HOST/PORT, 127.0.0.1:1883); skipped with a message without one.
The database is a fresh PostgreSQL one created beside `BENCH_DATABASE_URL` (default
postgres://postgres@127.0.0.1:5432/postgres) and dropped afterwards; SQLite when no server
answers (said in the output).

- **ceiling**: the same messages, published the same way, to a subscriber that only counts
  them (QoS 1, no database);
- **end to end**: one worker, then BENCH_WORKERS (default 2) sharing the topics (`$share/`),
  from the first publication to the last reading committed.

BENCH_SENSORS sensors (default 2000) send BENCH_UPLINKS uplinks (default 40 000) of six values
each (an Elsys ERS CO2: temperature, humidity, CO₂, light, presence, battery). The publisher
keeps at most a window of messages ahead of what is stored, so that the broker never has to
drop any (Mosquitto's `max_queued_messages`, 1 000 by default).
"""

import datetime as dt
import multiprocessing
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HOST = os.environ.get("IOT_MQTT_HOST", "127.0.0.1")
PORT = int(os.environ.get("IOT_MQTT_PORT", "1883"))
SENSORS = int(os.environ.get("BENCH_SENSORS", "2000"))
UPLINKS = int(os.environ.get("BENCH_UPLINKS", "40000"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
BATCH = 1000
IN_FLIGHT = 4000  # the worker's receive maximum
GOAL = 15_000  # values per second, end to end
PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_NAME = f"mutualis_bench_ingest_{os.getpid()}"


def _reachable(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=2).close()
        return True
    except OSError:
        return False


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as c:
        c.execute(sql)


if not _reachable(HOST, PORT):
    print(f"SKIPPED: no MQTT broker on {HOST}:{PORT} (make mosquitto starts one).")
    sys.exit(0)

os.environ["DJANGO_SETTINGS_MODULE"] = "mutualis.config.settings.test"
try:
    _admin(f"CREATE DATABASE {PG_NAME}")
    os.environ["DATABASE_URL"] = PG_URL.rsplit("/", 1)[0] + "/" + PG_NAME
    DATABASE = "PostgreSQL"
except Exception as exc:  # any failure: SQLite instead, said below
    print(f"PostgreSQL unreachable ({exc}): SQLite instead.")
    WORKDIR = Path(tempfile.mkdtemp(prefix="mutualis-bench-ingest-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR / 'bench.sqlite3'}"
    PG_URL = ""
    DATABASE = "SQLite"

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
import paho.mqtt.client as mqtt  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from paho.mqtt.packettypes import PacketTypes  # noqa: E402
from paho.mqtt.properties import Properties  # noqa: E402

from mutualis.iot.ingest import simulation  # noqa: E402
from mutualis.iot.models import Device, DeviceModel, Measure, Reading, Sensor  # noqa: E402
from mutualis.members.models import Member, MemberKind  # noqa: E402

PROFILE = simulation.PROFILES["office"]
VALUES = len(PROFILE.quantities)


def fleet() -> list[str]:
    member = Member.objects.create(kind=MemberKind.COMMUNE, name="Banc d'essai")
    DeviceModel.objects.create(make=PROFILE.make, model=PROFILE.model)
    sensors = Sensor.objects.bulk_create(
        Sensor(member=member, name=f"Bureau {n}", kind=PROFILE.kind, reporting_minutes=10)
        for n in range(SENSORS)
    )
    euis = [f"a840{n:012x}" for n in range(SENSORS)]
    Device.objects.bulk_create(
        Device(sensor=s, dev_eui=e, make=PROFILE.make, model=PROFILE.model)
        for s, e in zip(sensors, euis, strict=True)
    )
    Measure.objects.bulk_create(
        Measure(sensor=s, quantity=q) for s in sensors for q in PROFILE.quantities
    )
    return euis


def messages(app: str, euis: list[str], first_hour: float) -> list[tuple[str, bytes]]:
    """UPLINKS uplinks, the fleet reporting every ten minutes from `first_hour` on."""
    seeds = np.arange(len(euis), dtype=np.float64)
    out = []
    rounds = -(-UPLINKS // len(euis))
    for r in range(rounds):
        hour = first_hour + r / 6
        table = simulation.values(PROFILE, seeds, np.full(len(euis), hour))
        moment = simulation.EPOCH + dt.timedelta(hours=hour)
        for n, eui in enumerate(euis[: UPLINKS - r * len(euis)]):
            out.append(
                simulation.chirpstack_uplink(
                    application_id=app,
                    dev_eui=eui,
                    device_name=f"bureau-{n}",
                    profile=PROFILE,
                    moment=moment,
                    f_cnt=r,
                    values={q: float(table[q][n]) for q in PROFILE.quantities},
                    gateway_id=f"b827ebfffe{n % 40:06x}",
                    rssi=-90 - n % 25,
                    snr=7.5 - n % 10,
                )
            )
    return out


def publish(batch: list[tuple[str, bytes]], done, window: int) -> float:
    """Publishes at QoS 1, never more than `window` ahead of `done()`; returns the start."""
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    client.max_inflight_messages_set(1000)
    client.max_queued_messages_set(0)
    client.connect(HOST, PORT)
    client.loop_start()
    start = time.perf_counter()
    last = None
    for n, (topic, body) in enumerate(batch):
        if n % 100 == 0:
            while n - done() > window:
                time.sleep(0.02)
        last = client.publish(topic, body, qos=1)
    if last is not None:
        last.wait_for_publish(60)
    client.loop_stop()
    client.disconnect()
    return start


def _count(app: str, expected: int, received, ready) -> None:
    """A subscriber that counts the messages (no database): the broker's ceiling."""
    client = mqtt.Client(
        mqtt.CallbackAPIVersion.VERSION2, client_id=f"bench-ceiling-{app[:8]}", protocol=mqtt.MQTTv5
    )

    def on_message(client, userdata, msg):
        received.value += 1

    client.on_message = on_message
    client.on_subscribe = lambda *a: ready.set()
    properties = Properties(PacketTypes.CONNECT)
    properties.ReceiveMaximum = IN_FLIGHT  # as the workers
    client.connect(HOST, PORT, properties=properties)
    client.subscribe(f"application/{app}/device/+/event/up", 1)
    while received.value < expected:
        client.loop(0.05)
    client.disconnect()


def ceiling(batch: list[tuple[str, bytes]], app: str) -> float:
    received, ready = multiprocessing.Value("l", 0), multiprocessing.Event()
    counter = multiprocessing.Process(target=_count, args=(app, len(batch), received, ready))
    counter.start()
    ready.wait(10)
    start = publish(batch, lambda: received.value, window=IN_FLIGHT // 2 + 400)
    counter.join(120)
    return len(batch) / (time.perf_counter() - start)


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far, from /proc (Linux); 0 if gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _broker_pid() -> int | None:
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "mosquitto":
                    return int(entry.name)
            except OSError:
                continue
    return None


def _backends() -> list[int]:
    """The PostgreSQL backends of the benchmark's database but this process's own."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


class Cpu:
    """CPU time of each part of a run: the ingestion workers, their PostgreSQL backends, the
    broker (shared with anything else using it) and this process (the publisher)."""

    def __init__(self, workers: list[int]):
        self.workers = workers
        self.broker = _broker_pid()
        self.start = self._now(backends=[])

    def _now(self, backends: list[int]) -> dict[str, float]:
        return {
            "workers": sum(_cpu(pid) for pid in self.workers),
            "PostgreSQL": sum(_cpu(pid) for pid in backends),
            "broker": _cpu(self.broker) if self.broker else 0.0,
            "publisher": time.process_time(),
        }

    def per_thousand(self, uplinks: int) -> dict[str, float]:
        """Milliseconds per 1,000 uplinks; to be called before the workers stop (their
        backends started with the first batch, after `start`)."""
        end = self._now(backends=_backends())
        return {k: (end[k] - self.start[k]) * 1e6 / uplinks for k in end}


def _last_id() -> int:
    return Reading.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def end_to_end(
    batch: list[tuple[str, bytes]], app: str, workers: int
) -> tuple[float, dict[str, float]]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    group = f"bench{app[:8]}"
    client_ids = [f"bench-ingest-{app[:8]}-{n}" for n in range(workers)]
    processes = [
        subprocess.Popen(  # noqa: S603 (our own command)
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "iot_ingest",
                f"--client-id={client_id}",
                f"--group={group}",
                f"--topic=application/{app}/device/+/event/up",
                f"--batch-size={BATCH}",
                f"--receive-maximum={IN_FLIGHT}",
                "--flush-seconds=0.2",
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for client_id in client_ids
    ]
    for process in processes:
        assert process.stdout.readline().startswith("ready")
    before = _last_id()
    cpu = Cpu([process.pid for process in processes])

    def stored() -> int:  # the readings' ids: cheap to poll, unlike a count of the table
        return (_last_id() - before) // VALUES

    start = publish(batch, stored, window=workers * IN_FLIGHT // 2 + 400)
    deadline = time.monotonic() + 600
    while stored() < len(batch):
        if time.monotonic() > deadline:
            raise SystemExit(f"only {stored()} of {len(batch)} uplinks stored after 10 minutes")
        time.sleep(0.02)
    elapsed = time.perf_counter() - start
    costs = cpu.per_thousand(len(batch))
    for process in processes:
        process.terminate()
        process.wait(30)
        process.stdout.close()
    for client_id in client_ids:  # the sessions end with the benchmark
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id)
        client.connect(HOST, PORT)
        client.loop(0.2)
        client.disconnect()
    return len(batch) / elapsed, costs


def main() -> None:
    call_command("migrate", verbosity=0)
    euis = fleet()
    app = uuid.uuid4().hex
    print(
        f"{len(euis)} sensors, {UPLINKS} ChirpStack v4 uplinks of {VALUES} values each, "
        f"broker {HOST}:{PORT}, database {DATABASE}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f} (the figures hold for an idle machine only)"
    )
    rate = ceiling(messages(app, euis, 0), app)
    print(f"broker ceiling (no database):  {rate:9,.0f} uplinks/s  {rate * VALUES:9,.0f} values/s")
    results = {}
    for count, first_hour in ((1, 1000), (WORKERS, 2000)):
        if count in results:
            continue
        batch = messages(app, euis, first_hour)
        uplinks, costs = end_to_end(batch, app, count)
        results[count] = uplinks
        print(
            f"end to end, {count} worker{'s' if count > 1 else ' '}:    {uplinks:9,.0f} uplinks/s"
            f"  {uplinks * VALUES:9,.0f} values/s  ratio to the ceiling {uplinks / rate:.2f}"
            f"  (goal ≥ {GOAL:,} values/s: {'met' if uplinks * VALUES >= GOAL else 'MISSED'})"
        )
        total = sum(costs.values())
        print(
            "  CPU ms per 1,000 uplinks: "
            + ", ".join(f"{name} {ms:,.0f}" for name, ms in costs.items())
            + f"; all {total:,.0f} → at most {os.cpu_count() * 1e6 / total * VALUES:,.0f} "
            "values/s on idle cores"
        )
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    stored = Reading.objects.count()
    assert stored == len(results) * UPLINKS * VALUES, stored  # each value once, none lost


if __name__ == "__main__":
    try:
        main()
    finally:
        connection.close()
        if PG_URL:
            _admin(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
