"""The ingestion worker: MQTT uplinks of the network servers into the readings table.

QoS 1 on a persistent session (a fixed client id, clean_session False): while a worker is
stopped, the broker keeps its messages. Messages are acknowledged only once their batch is
committed (paho's manual acknowledgement), so a worker killed mid-batch gets the batch again
when it comes back, and the idempotent storage writes it once. Several workers share the load
through a shared subscription (`$share/<group>/…`): each message goes to one of them.
"""

import logging
import threading
import time
from dataclasses import dataclass, field

import paho.mqtt.client as mqtt

from mutualis.iot.ingest.uplinks import TOPICS
from mutualis.iot.ingestion import IngestResult, Message, ingest

logger = logging.getLogger(__name__)


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
    batch_size: int = 200
    flush_seconds: float = 0.5
    keepalive: int = 30


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
        self.pending: list[_Pending] = []
        self.totals = Totals()
        self.connection = 0  # counts connections: an ack never crosses a reconnection
        self.subscribed = threading.Event()
        self.on_ready = on_ready
        client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2,
            client_id=config.client_id,
            clean_session=False,
            protocol=mqtt.MQTTv311,
            manual_ack=True,
        )
        if config.username:
            client.username_pw_set(config.username, config.password or None)
        if config.tls:
            client.tls_set()
        client.on_connect = self._on_connect
        client.on_subscribe = self._on_subscribe
        client.on_message = self._on_message
        client.on_disconnect = self._on_disconnect
        self.client = client

    def subscriptions(self) -> list[tuple[str, int]]:
        prefix = f"$share/{self.config.group}/" if self.config.group else ""
        return [(prefix + topic, 1) for topic in self.config.topics]

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
        self.subscribed.set()
        if self.on_ready is not None:
            self.on_ready()

    def _on_disconnect(self, client, userdata, flags, reason_code, properties):
        logger.warning("disconnected from the broker: %s", reason_code)

    def _on_message(self, client, userdata, msg):
        self.pending.append(
            _Pending(Message(body=msg.payload, topic=msg.topic), msg.mid, msg.qos, self.connection)
        )

    def flush(self) -> None:
        """Stores the pending messages, then acknowledges them. A database failure raises:
        nothing is acknowledged, the broker delivers the batch again."""
        if not self.pending:
            return
        batch, self.pending = self.pending, []
        self.totals.add(ingest([p.message for p in batch]))
        for pending in batch:
            if pending.qos > 0 and pending.connection == self.connection:
                self.client.ack(pending.mid, pending.qos)

    def run(self, stop: threading.Event) -> Totals:
        config = self.config
        self.client.connect(config.host, config.port, config.keepalive)
        first_pending = None
        try:
            while not stop.is_set():
                code = self.client.loop(timeout=0.1)
                if code != mqtt.MQTT_ERR_SUCCESS:
                    self.flush()  # stored; the broker redelivers them unacknowledged
                    self._reconnect(stop)
                    continue
                if self.pending and first_pending is None:
                    first_pending = time.monotonic()
                if self.pending and (
                    len(self.pending) >= config.batch_size
                    or time.monotonic() - first_pending >= config.flush_seconds
                ):
                    self.flush()
                    first_pending = None
            self.flush()
            self.client.loop(timeout=0.1)  # sends the last acknowledgements
        finally:
            self.client.disconnect()
        return self.totals

    def _reconnect(self, stop: threading.Event) -> None:
        delay = 1.0
        while not stop.is_set():
            try:
                self.client.reconnect()
                return
            except OSError as exc:
                logger.warning("broker unreachable (%s): retrying in %.0f s", exc, delay)
                stop.wait(delay)
                delay = min(delay * 2, 30.0)
