"""Issue 14's demo chain without the broker: the iot demo's hourly history of Mérignac's water
meters, the past of a leak as `mutualis iot simulate --leak DEVEUI --since 72` writes it, the
detection job → one night-flow alert, one e-mail to the on-call contact; a second pass adds
nothing; the alert is acknowledged then resolved."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from mutualis.alerts import demo as alerts_demo
from mutualis.alerts import services
from mutualis.alerts.detection import run
from mutualis.alerts.models import Alert, AlertStatus, Cause, MeterSector
from mutualis.catalog.tests.factories import ServiceFactory
from mutualis.core.tests.factories import UserFactory
from mutualis.iot import demo as iot_demo
from mutualis.iot.leak import leak_backfill
from mutualis.iot.models import Reading, Sensor, SensorKind
from mutualis.members.tests.factories import MemberFactory, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_leak_injected_in_the_demo_opens_one_alert_that_is_mailed_then_handled():
    ServiceFactory(code="iot")
    merignac = MembershipFactory(
        member=MemberFactory(name="Mérignac", insee_code="33281", population=70_000)
    ).member
    MembershipFactory(member=MemberFactory(name="Cestas", population=17_000))
    iot_demo.load_demo()
    now = timezone.now()
    alerts_demo.load_demo(now)
    behind = MeterSector.objects.values("behind")
    meters = Sensor.objects.filter(
        member=merignac,
        kind=SensorKind.WATER_METER,
        devices__isnull=False,
        last_seen_at__gte=now - dt.timedelta(hours=3),
    ).exclude(pk__in=behind)
    meter = meters.order_by("name").first()

    # Hourly history for at least 15 days, for Mérignac's meters only.
    def fortnight(sensor):
        return Reading.objects.filter(
            sensor=sensor, measure__quantity="water_volume", time__gte=now - dt.timedelta(days=15)
        ).count()

    assert fortnight(meter) >= 15 * 24
    other = Sensor.objects.filter(kind=SensorKind.WATER_METER).exclude(member=merignac).first()
    assert fortnight(other) < 2 * 24

    run(until=now)  # without a leak, no leak alarm on the hourly meters
    leaks = [Cause.NIGHT_FLOW, Cause.CONTINUOUS_FLOW, Cause.DAILY_JUMP]
    assert not Alert.objects.filter(member=merignac, cause__in=leaks, status=AlertStatus.OPEN)

    mail.outbox.clear()
    written = leak_backfill(meter, now - dt.timedelta(hours=72), now)
    assert written == 73
    run(until=now)
    ours = Alert.objects.filter(sensor=meter).exclude(resolved_note=alerts_demo.FOUND_LEAK_NOTE)
    alert = ours.get()
    assert alert.cause == Cause.NIGHT_FLOW and alert.measured > 300  # 350 L/h

    def about_it():  # (a PV inverter of the same building has the same name)
        return [m for m in mail.outbox if meter.name in m.subject and "nuit" in m.subject]

    sent = about_it()
    assert len(sent) == 1 and sent[0].to == [alerts_demo.ON_CALL_EMAIL]

    run(until=now + dt.timedelta(hours=1))  # the next hourly pass
    assert ours.count() == 1
    assert len(about_it()) == 1

    user = UserFactory()
    services.alert_acknowledge(alert=alert, user=user, note="Le gardien y va.")
    services.alert_resolve(alert=alert, user=user, note="Robinet du stade refermé.")
    alert.refresh_from_db()
    assert alert.status == AlertStatus.RESOLVED
