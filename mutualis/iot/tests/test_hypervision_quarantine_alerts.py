"""The hypervision's quarantined messages follow the member, kind, commune and building
filters (a message of a known device is its sensor's; one of an unknown device shows only
unfiltered), and the screen lists the unresolved alerts, filtered alike, in a number of queries
that does not grow with the data."""

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mutualis.alerts.models import Alert, AlertStatus, Cause, Severity
from mutualis.alerts.tests.tenancy import make_alert, water_meter
from mutualis.iot.models import QuarantinedMessage, QuarantineReason, SensorKind
from mutualis.iot.tests.factories import make_sensor
from mutualis.members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
URL = reverse("iot:hypervision")
_numbers = itertools.count()


def set_aside(dev_eui: str, reason=QuarantineReason.UNDECODED) -> QuarantinedMessage:
    return QuarantinedMessage.objects.create(
        source="mqtt",
        reason=reason,
        dev_eui=dev_eui,
        detail=f"message {dev_eui}",
        fingerprint=f"q{next(_numbers)}",
    )


def eui_of(sensor) -> str:
    return sensor.devices.get().dev_eui


def world(n: int = 1):
    """Two members, each with n comfort sensors in a school and n water meters, one set-aside
    message per sensor and an open alert per water meter; plus one message of an unknown
    device."""
    members = [MemberFactory(), MemberFactory()]
    for member in members:
        for i in range(n):
            room = make_sensor(member, name=f"École {member.pk}, salle {i}")
            meter = water_meter(member, name=f"Compteur {member.pk}-{i}")
            set_aside(eui_of(room))
            set_aside(eui_of(meter))
            make_alert(member, sensor=meter)
    set_aside("ffffffffffffff01", QuarantineReason.UNKNOWN_DEVICE)
    return members


def test_quarantined_messages_follow_the_member_filter(client, reader):
    mine, other = world()
    client.force_login(reader)
    everything = client.get(URL).context["board"]
    assert everything.quarantine_total == 5  # the unknown device's message included
    board = client.get(URL, {"member": mine.pk}).context["board"]
    assert board.quarantine_total == 2
    shown = {m.dev_eui for m in board.quarantine_latest}
    assert shown == set(mine.sensors.values_list("devices__dev_eui", flat=True)), (
        "only the member's devices"
    )
    assert {m.member_name for m in board.quarantine_latest} == {mine.name}
    body = client.get(URL, {"member": mine.pk}).content.decode()
    assert "ffffffffffffff01" not in body and other.name not in body.split("Messages en")[1]


def test_quarantined_messages_follow_kind_commune_and_building(client, reader):
    mine, other = world()
    client.force_login(reader)
    board = client.get(URL, {"kind": SensorKind.WATER_METER}).context["board"]
    assert board.quarantine_total == 2 and {m.member_name for m in board.quarantine_latest} == {
        mine.name,
        other.name,
    }
    board = client.get(URL, {"commune": other.commune.insee_code}).context["board"]
    assert {m.member_name for m in board.quarantine_latest} == {other.name}
    board = client.get(URL, {"building": f"École {mine.pk}"}).context["board"]
    assert board.quarantine_total == 1
    assert board.silent.count == 1 and board.silent.rows[0].building == f"École {mine.pk}"


def test_an_unknown_devices_message_is_shown_unfiltered_with_no_member(client, reader):
    world()
    client.force_login(reader)
    board = client.get(URL).context["board"]
    unknown = [m for m in board.quarantine_latest if m.dev_eui == "ffffffffffffff01"]
    assert len(unknown) == 1 and unknown[0].member_name is None
    assert "appareil inconnu" in client.get(URL).content.decode()


def test_the_unresolved_alerts_are_listed_gravest_first_with_a_link(client, reader):
    mine, other = world()
    critical = Alert.objects.filter(member=other).get()
    Alert.objects.filter(pk=critical.pk).update(severity=Severity.CRITICAL)
    seen = Alert.objects.filter(member=mine).get()
    Alert.objects.filter(pk=seen.pk).update(
        status=AlertStatus.ACKNOWLEDGED, acknowledged_at=timezone.now()
    )
    resolved = make_alert(mine, cause=Cause.CONTINUOUS_FLOW, sensor=seen.sensor)
    Alert.objects.filter(pk=resolved.pk).update(status=AlertStatus.RESOLVED)
    client.force_login(reader)
    page = client.get(URL)
    board = page.context["board"]
    assert [a.pk for a in board.alerts.rows] == [critical.pk, seen.pk]
    body = page.content.decode()
    assert reverse("alerts:detail", args=[critical.pk]) in body
    assert reverse("alerts:detail", args=[resolved.pk]) not in body
    assert "Critique" in body and "oui, le" in body
    filtered = client.get(URL, {"member": mine.pk}).context["board"]
    assert [a.pk for a in filtered.alerts.rows] == [seen.pk]
    by_kind = client.get(URL, {"kind": SensorKind.COMFORT}).context["board"]
    assert by_kind.alerts.count == 0
    by_commune = client.get(URL, {"commune": other.commune.insee_code}).context["board"]
    assert [a.pk for a in by_commune.alerts.rows] == [critical.pk]


def test_an_inactivity_alert_stays_hidden_from_operators_not_named(client, reader):
    (mine, _other) = world()
    hidden = make_alert(mine, cause=Cause.INACTIVITY)
    client.force_login(reader)
    board = client.get(URL).context["board"]
    assert hidden.pk not in [a.pk for a in board.alerts.rows]


@pytest.mark.parametrize("params", [{}, {"kind": SensorKind.WATER_METER}, {"building": "École"}])
def test_the_query_count_does_not_grow_with_messages_and_alerts(client, reader, params):
    client.force_login(reader)
    members = world(1)
    with CaptureQueriesContext(connection) as small:
        client.get(URL, {**params, "member": members[0].pk})
    more = world(6)
    with CaptureQueriesContext(connection) as large:
        board = client.get(URL, {**params, "member": more[0].pk}).context["board"]
    assert board.quarantine_total > 0
    assert len(large) == len(small)


def test_an_old_message_is_listed_but_not_counted_in_the_24_hours(client, reader):
    mine, _other = world()
    old = set_aside(eui_of(mine.sensors.filter(kind=SensorKind.COMFORT).get()))
    QuarantinedMessage.objects.filter(pk=old.pk).update(
        received_at=timezone.now() - dt.timedelta(days=2)
    )
    client.force_login(reader)
    board = client.get(URL, {"member": mine.pk}).context["board"]
    assert board.quarantine_total == 2 and old.pk in [m.pk for m in board.quarantine_latest]
