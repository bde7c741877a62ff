"""The ingestion worker: MQTT uplinks of the network servers into the readings table.

MQTT 5, QoS 1 on a persistent session (a fixed client id, `clean_start` false and a session
that outlives the connection): while a worker is stopped, the broker keeps its messages.
Messages are acknowledged only once their batch is committed (paho's manual acknowledgement),
so a worker killed mid-batch gets the batch again when it comes back, and the idempotent
storage writes it once. The broker sends at most `receive_maximum` messages not yet
acknowledged: that bounds the worker's memory and lets the next batch arrive while one is
written. Several workers share the load through a shared subscription (`$share/<group>/…`):
each message goes to one of them.

Paho's network thread receives (and reconnects by itself); the main thread writes the batches
and acknowledges them.
"""

import collections
import logging
import threading
import time
from dataclasses import dataclass, field

import paho.mqtt.client as mqtt
from django.db import DatabaseError, close_old_connections, connection
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from mutualis.iot.ingest.uplinks import TOPICS
from mutualis.iot.ingestion import DeviceDirectory, IngestResult, Message, ingest

logger = logging.getLogger(__name__)
SESSION_EXPIRY = 7 * 24 * 3600  # the broker keeps a stopped worker's messages a week


@dataclass
class WorkerConfig:
    client_id: str
    host: str = "127.0.0.1"
    port: int = 1883
    username: str = ""
    password: str = ""
    tls: bool = False
    group: str = "mutualis"  # the shared subscription's group; "" for a plain subscription
    topics: tuple[str, ...] = TOPICS
    batch_size: int = 500
    flush_seconds: float = 0.5
    receive_maximum: int = 0  # 0: four batches
    keepalive: int = 30
    directory_ttl: float = 60.0  # seconds a device's sensor and measures are kept in memory

    @property
    def in_flight(self) -> int:
        return min(self.receive_maximum or 4 * self.batch_size, 65535)


@dataclass
class _Pending:
    message: Message
    mid: int
    qos: int
    connection: int


@dataclass
class Totals:
    uplinks: int = 0
    readings: int = 0
    quarantined: int = 0
    batches: int = 0
    by_reason: dict = field(default_factory=dict)

    def add(self, result: IngestResult) -> None:
        self.batches += 1
        self.uplinks += result.uplinks
        self.readings += result.readings
        for reason, count in result.quarantined.items():
            self.quarantined += count
            self.by_reason[reason] = self.by_reason.get(reason, 0) + count


class Worker:
    def __init__(self, config: WorkerConfig, *, on_ready=None):
        self.config = config
        self.pending: collections.deque[_Pending] = collections.deque()
        self.arrived = threading.Event()
        self.totals = Totals()
        self.connection = 0  # counts connections: an ack never crosses a reconnection
        self.subscribed = threading.Event()
        self.on_ready = on_ready
        self.directory = DeviceDirectory(ttl=config.directory_ttl)
        client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2,
            client_id=config.client_id,
            protocol=mqtt.MQTTv5,
            manual_ack=True,
        )
        if config.username:
            client.username_pw_set(config.username, config.password or None)
        if config.tls:
            client.tls_set()
        client.reconnect_delay_set(1, 30)
        client.on_connect = self._on_connect
        client.on_subscribe = self._on_subscribe
        client.on_message = self._on_message
        client.on_disconnect = self._on_disconnect
        self.client = client

    def subscriptions(self) -> list[tuple[str, int]]:
        prefix = f"$share/{self.config.group}/" if self.config.group else ""
        return [(prefix + topic, 1) for topic in self.config.topics]

    def _connect_properties(self) -> Properties:
        properties = Properties(PacketTypes.CONNECT)
        properties.SessionExpiryInterval = SESSION_EXPIRY
        properties.ReceiveMaximum = self.config.in_flight
        return properties

    def _on_connect(self, client, userdata, flags, reason_code, properties):
        if reason_code.is_failure:
            logger.error("MQTT connection refused: %s", reason_code)
            return
        self.connection += 1
        logger.info(
            "connected to %s:%s as %s (session kept: %s)",
            self.config.host,
            self.config.port,
            self.config.client_id,
            flags.session_present,
        )
        client.subscribe(self.subscriptions())

    def _on_subscribe(self, client, userdata, mid, reason_codes, properties):
        if any(code.is_failure for code in reason_codes):
            logger.error("subscription refused: %s", reason_codes)
            return
        if not self.subscribed.is_set():
            self.subscribed.set()
            if self.on_ready is not None:
                self.on_ready()

    def _on_disconnect(self, client, userdata, flags, reason_code, properties):
        logger.warning("disconnected from the broker: %s", reason_code)

    def _on_message(self, client, userdata, msg):
        self.pending.append(
            _Pending(
                Message.received(msg.payload, topic=msg.topic), msg.mid, msg.qos, self.connection
            )
        )
        self.arrived.set()

    def flush(self, stop: threading.Event | None = None, *, retry: bool = True) -> bool:
        """Stores up to a batch of pending messages, then acknowledges them. Should the
        database fail, nothing is acknowledged and the batch is tried again until `stop`
        (unacknowledged, the broker delivers it again to the next run). True when stored."""
        count = min(len(self.pending), self.config.batch_size)
        if not count:
            return False
        batch = [self.pending.popleft() for _ in range(count)]
        delay = 0.5
        while True:
            try:
                result = ingest([p.message for p in batch], self.directory)
                break
            except DatabaseError as exc:
                logger.error("database unavailable (%s): retrying in %.1f s", exc, delay)
                connection.close()
                if not retry or (stop is not None and stop.wait(delay)):
                    return False
                delay = min(delay * 2, 10.0)
                close_old_connections()
        self.totals.add(result)
        current = self.connection
        for pending in batch:
            if pending.qos > 0 and pending.connection == current:
                self.client.ack(pending.mid, pending.qos)
        return True

    def run(self, stop: threading.Event) -> Totals:
        config = self.config
        self.client.connect_async(
            config.host,
            config.port,
            config.keepalive,
            clean_start=False,
            properties=self._connect_properties(),
        )
        self.client.loop_start()
        first_pending = None
        try:
            while not stop.is_set():
                self.arrived.wait(0.05)
                self.arrived.clear()
                if not self.pending:
                    first_pending = None
                    continue
                if first_pending is None:
                    first_pending = time.monotonic()
                if (
                    len(self.pending) >= config.batch_size
                    or time.monotonic() - first_pending >= config.flush_seconds
                ):
                    self.flush(stop)
                    first_pending = time.monotonic() if self.pending else None
            while self.pending and self.flush(retry=False):
                pass
            time.sleep(0.2)  # the last acknowledgements go out
        finally:
            self.client.disconnect()
            self.client.loop_stop()
        return self.totals
