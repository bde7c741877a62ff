"""`mutualis iot simulate`: the fleet's uplinks, as ChirpStack v4 publishes them, to the broker.

Each active sensor of the referential whose device is of a known simulated model (the demo's
fleet) reports in turn, at `--rate` uplinks a second, the values its kind gives at this very
moment (the same curves as the demo's history). `--leak <DevEUI>` makes a water meter's index
climb as a leak would, from the start of the simulation on, or from `--since` hours ago: the
leak's past hours are then rewritten in the stored readings first (mutualis.iot.leak), so that
the detection sees the nights it compares.
"""

import datetime as dt
import itertools
import time

import numpy as np
import paho.mqtt.client as mqtt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mutualis.iot.ingest.simulation import PROFILES, chirpstack_uplink, hours, values
from mutualis.iot.leak import leak_backfill
from mutualis.iot.models import Device, Sensor

APPLICATION_ID = "5c1f1a3e-0d5b-4b8e-9b7e-6f2d8c0a1e42"


class Command(BaseCommand):
    help = "Publie des remontées ChirpStack v4 réalistes des capteurs sur le broker MQTT."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=settings.IOT_MQTT_HOST)
        parser.add_argument("--port", type=int, default=settings.IOT_MQTT_PORT)
        parser.add_argument("--rate", type=float, default=20.0, help="Remontées par seconde.")
        parser.add_argument(
            "--duration", type=float, default=0, help="Durée en secondes (0 : jusqu'à Ctrl-C)."
        )
        parser.add_argument(
            "--leak", default="", help="DevEUI d'un compteur d'eau qui fuit dès le départ."
        )
        parser.add_argument(
            "--since",
            type=float,
            default=0,
            help="Avec --leak : la fuite a commencé il y a tant d'heures (48 : deux nuits "
            "entières, ce que la détection des fuites de nuit demande) ; ses relevés horaires "
            "passés sont réécrits dans la base avant les remontées en direct.",
        )
        parser.add_argument("--application-id", default=APPLICATION_ID)

    def handle(self, *args, host, port, rate, duration, leak, since, application_id, **options):
        if not 0 < rate <= 5000:
            raise CommandError("Le débit va de 0 à 5 000 remontées par seconde.")
        if not 0 <= since <= 24 * 14:
            raise CommandError("--since va de 0 à 336 heures (14 jours).")
        if since and not leak:
            raise CommandError("--since ne s'emploie qu'avec --leak.")
        by_model = {(p.make, p.model): p for p in PROFILES.values()}
        fleet = [
            (eui, sensor_id, name, by_model[(make, model)])
            for eui, sensor_id, name, make, model in Device.objects.filter(
                removed_on__isnull=True, sensor__active=True
            )
            .order_by("sensor_id")
            .values_list("dev_eui", "sensor_id", "sensor__name", "make", "model")
            if (make, model) in by_model
        ]
        if not fleet:
            raise CommandError(
                "Aucun capteur simulable : chargez la démonstration (mutualis demo load)."
            )
        leak = leak.lower().replace("-", "")
        if leak and not any(eui == leak and p.code == "water_meter" for eui, *_r, p in fleet):
            raise CommandError(f"{leak} n'est pas un compteur d'eau de la flotte.")
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="", protocol=mqtt.MQTTv5)
        if settings.IOT_MQTT_USERNAME:
            client.username_pw_set(settings.IOT_MQTT_USERNAME, settings.IOT_MQTT_PASSWORD or None)
        if settings.IOT_MQTT_TLS:
            client.tls_set()
        try:
            client.connect(host, port)
        except OSError as exc:
            raise CommandError(
                f"Broker MQTT injoignable sur {host}:{port} ({exc}) : "
                "lancez-le (make mosquitto) ou réglez IOT_MQTT_HOST et IOT_MQTT_PORT."
            ) from exc
        leak_start = dt.datetime.now(dt.UTC) - dt.timedelta(hours=since)
        if leak and since:
            sensor_id = next(s for eui, s, *_r in fleet if eui == leak)
            written = leak_backfill(
                Sensor.objects.get(pk=sensor_id), leak_start, dt.datetime.now(dt.UTC)
            )
            self.stdout.write(
                f"Fuite sur {leak} depuis {since:g} h : {written} relevés horaires réécrits."
            )
        client.loop_start()
        started = time.monotonic()
        leak_since = hours(leak_start)
        self.stdout.write(
            f"{len(fleet)} capteurs, {rate:g} remontées/s vers {host}:{port}"
            + (f", fuite sur {leak}" if leak else "")
        )
        sent = 0
        try:
            for eui, sensor_id, name, profile in itertools.cycle(fleet):
                if duration and time.monotonic() - started >= duration:
                    break
                now = dt.datetime.now(dt.UTC)
                table = values(
                    profile,
                    np.array([float(sensor_id)]),
                    np.array([hours(now)]),
                    leak_since=leak_since if eui == leak else None,
                )
                topic, body = chirpstack_uplink(
                    application_id=application_id,
                    dev_eui=eui,
                    device_name=name[:60],
                    profile=profile,
                    moment=now,
                    f_cnt=int(now.timestamp()) // 60 % 2**32,
                    values={q: float(a[0]) for q, a in table.items()},
                    gateway_id=f"b827ebfffe{sensor_id % 13:06x}",
                    rssi=-85 - sensor_id % 30,
                    snr=round(9.5 - (sensor_id % 17) / 2, 1),
                )
                client.publish(topic, body, qos=1)
                sent += 1
                pause = started + sent / rate - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
        except KeyboardInterrupt:
            pass
        finally:
            client.loop_stop()
            client.disconnect()
        self.stdout.write(f"{sent} remontées publiées.")
