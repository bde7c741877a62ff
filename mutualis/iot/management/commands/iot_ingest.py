"""`mutualis iot ingest`: the MQTT ingestion worker (one process; run several to scale out)."""

import signal
import socket
import sys
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from mutualis.iot.worker import Worker, WorkerConfig


class Command(BaseCommand):
    help = "Reçoit les remontées des capteurs (ChirpStack, The Things Stack) par MQTT."

    def add_arguments(self, parser):
        parser.add_argument(
            "--client-id",
            default=settings.IOT_MQTT_CLIENT_ID or f"mutualis-ingest-{socket.gethostname()}",
            help="Identifiant fixe de ce travailleur : sa session est gardée par le broker.",
        )
        parser.add_argument("--host", default=settings.IOT_MQTT_HOST)
        parser.add_argument("--port", type=int, default=settings.IOT_MQTT_PORT)
        parser.add_argument("--group", default=settings.IOT_MQTT_GROUP)
        parser.add_argument(
            "--topic",
            action="append",
            dest="topics",
            help="Sujet à suivre (répétable) ; par défaut ceux de ChirpStack et de TTS.",
        )
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--flush-seconds", type=float, default=0.5)
        parser.add_argument(
            "--receive-maximum",
            type=int,
            default=0,
            help="Messages reçus non encore acquittés (0 : quatre lots) ; borne la mémoire.",
        )

    def handle(self, *args, **options):
        config = WorkerConfig(
            client_id=options["client_id"],
            host=options["host"],
            port=options["port"],
            username=settings.IOT_MQTT_USERNAME,
            password=settings.IOT_MQTT_PASSWORD,
            tls=settings.IOT_MQTT_TLS,
            group=options["group"],
            batch_size=options["batch_size"],
            flush_seconds=options["flush_seconds"],
            receive_maximum=options["receive_maximum"],
        )
        if options["topics"]:
            config.topics = tuple(options["topics"])
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())

        def ready():
            self.stdout.write(f"ready: {', '.join(t for t, _q in worker.subscriptions())}")
            sys.stdout.flush()

        worker = Worker(config, on_ready=ready)
        totals = worker.run(stop)
        self.stdout.write(
            f"stopped: {totals.uplinks} uplinks, {totals.readings} readings, "
            f"{totals.quarantined} quarantined"
        )
