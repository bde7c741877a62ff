"""The background job reads the stored registers, runs the rules and opens alerts once."""

import datetime as dt
import zoneinfo

import numpy as np
import pytest
from django.core import mail

from mutualis.alerts.detection import window_start
from mutualis.alerts.models import Alert, AlertStatus, Cause, DetectionRun, OnCallContact
from mutualis.alerts.tests.tenancy import make_consent, water_meter
from mutualis.core.jobs import JobStatus, job_enqueue
from mutualis.detection.tests.helpers import DAY
from mutualis.iot.models import Quantity, Reading
from mutualis.members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db(transaction=True)
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
UNTIL = dt.datetime(2026, 11, 20, 7, 0, tzinfo=PARIS)
DAYS = 35


def store(sensor, litres_per_hour: np.ndarray) -> None:
    """Registers (m³) read at the end of each hour from the job's window start."""
    start = window_start(UNTIL, DAYS)
    measure = sensor.measures.get(quantity=Quantity.WATER_VOLUME)
    register = 120.0 + np.cumsum(litres_per_hour) / 1000
    Reading.objects.bulk_create(
        Reading(sensor=sensor, measure=measure, time=start + dt.timedelta(hours=h), value=v)
        for h, v in enumerate(register.tolist())
        if start + dt.timedelta(hours=h) <= UNTIL
    )
    sensor.last_seen_at = UNTIL
    sensor.save(update_fields=["last_seen_at"])


def run_job() -> DetectionRun:
    from django.db import transaction

    with transaction.atomic():
        run = DetectionRun.objects.create(until=UNTIL, days=DAYS)
        job_enqueue(run)
    run.refresh_from_db()
    return run


def test_a_leak_opens_one_alert_notifies_the_contact_and_a_second_pass_adds_none():
    member = MemberFactory()
    OnCallContact.objects.create(member=member, name="Astreinte", email="eau@mairie.fr")
    leaking, quiet = water_meter(member, name="École"), water_meter(member, name="Mairie")
    flow = np.tile(DAY, DAYS + 1)
    leak = flow.copy()
    leak[(DAYS - 2) * 24 :] += 6.0  # 6 L/h for the last two days
    store(leaking, leak)
    store(quiet, flow)

    run = run_job()
    assert run.status == JobStatus.SUCCEEDED, run.error
    assert run.sensors_read == 2
    alerts = list(Alert.objects.all())
    assert {a.sensor_id for a in alerts} == {leaking.pk}
    assert {a.cause for a in alerts} <= {Cause.NIGHT_FLOW, Cause.CONTINUOUS_FLOW}
    assert run.alerts_opened == len(alerts) >= 1
    assert len(mail.outbox) == len(alerts)
    assert mail.outbox[0].to == ["eau@mairie.fr"]

    second = run_job()
    assert second.alerts_opened == 0
    assert Alert.objects.count() == len(alerts)
    assert Alert.objects.filter(status=AlertStatus.OPEN).count() == len(alerts)


def test_a_silent_home_alerts_only_under_consent():
    member = MemberFactory()
    watched, unwatched = water_meter(member, name="Mme D."), water_meter(member, name="M. L.")
    make_consent(member, sensor=watched)
    flow = np.tile(DAY, DAYS + 1)
    flow[(DAYS - 1) * 24 :] = 0.0  # nothing since yesterday morning
    store(watched, flow)
    store(unwatched, flow)
    run = run_job()
    assert run.status == JobStatus.SUCCEEDED, run.error
    assert list(Alert.objects.values_list("sensor_id", "cause")) == [(watched.pk, Cause.INACTIVITY)]


def test_a_sensor_that_stopped_reporting_is_silent():
    member = MemberFactory()
    meter = water_meter(member)
    meter.last_seen_at = UNTIL - dt.timedelta(hours=5)  # expected every 60 minutes
    meter.save()
    run = run_job()
    assert run.status == JobStatus.SUCCEEDED, run.error
    assert list(Alert.objects.values_list("cause", flat=True)) == [Cause.SILENCE]
