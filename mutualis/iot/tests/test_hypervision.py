"""The hypervision screen shows what needs action — silent sensors, low batteries, lost
gateways, quarantined messages, ingestion lag and throughput — filtered by member, kind and
commune, in the same number of queries whatever the size of the fleet."""

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mutualis.iot.models import (
    Gateway,
    Quantity,
    QuarantinedMessage,
    QuarantineReason,
    Reading,
    Sensor,
    SensorKind,
)
from mutualis.iot.rollups import rollups_refresh
from mutualis.iot.tests.factories import make_sensor
from mutualis.members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
URL = reverse("iot:hypervision")
_numbers = itertools.count()


def _heard(sensor, ago: dt.timedelta, battery: float | None = None):
    now = timezone.now()
    Sensor.objects.filter(pk=sensor.pk).update(last_seen_at=now - ago)
    if battery is not None:
        measure = sensor.measures.get(quantity=Quantity.BATTERY)
        Reading.objects.create(sensor=sensor, measure=measure, time=now - ago, value=battery)
        rollups_refresh([(sensor.pk, measure.pk, now - ago)])


def fleet(n: int, member=None):
    """n sensors needing action (silent, low battery), n fine, a lost gateway each."""
    member = member or MemberFactory()
    quantities = (Quantity.TEMPERATURE, Quantity.BATTERY)
    for i in range(n):
        _heard(make_sensor(member, name=f"Silencieux {i}"), dt.timedelta(hours=5))
        _heard(
            make_sensor(member, name=f"Pile {i}", quantities=quantities),
            dt.timedelta(minutes=10),
            battery=3.1,
        )
        _heard(
            make_sensor(member, name=f"Bien {i}", quantities=quantities),
            dt.timedelta(minutes=10),
            battery=3.6,
        )
        Gateway.objects.create(eui=f"b827ebfffe{next(_numbers):06x}", owner=member)
    for reason in (QuarantineReason.UNKNOWN_DEVICE, QuarantineReason.MALFORMED):
        QuarantinedMessage.objects.create(
            source="mqtt",
            reason=reason,
            detail="json: not JSON",
            fingerprint=f"{reason}{next(_numbers)}",
        )
    return member


def test_the_screen_lists_what_needs_action(client, reader):
    fleet(2)
    client.force_login(reader)
    page = client.get(URL)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Silencieux 0" in body and "Silencieux 1" in body
    assert "Pile 0" in body and "3,1 V" in body
    assert "Bien 0" not in body
    assert body.count("b827ebfffe") == 2
    assert "appareil inconnu : 1" in body and "message illisible : 1" in body
    board = page.context["board"]
    assert (board.silent.count, board.batteries.count, board.gateways.count) == (2, 2, 2)
    assert board.ingestion.values == 4  # the battery values received just now
    assert dt.timedelta(minutes=9) < board.ingestion.max_lag < dt.timedelta(minutes=11)
    assert 'hx-trigger="every 30s"' in body


def test_each_list_is_filtered_by_member_kind_and_commune(client, reader):
    mine, other = fleet(1), fleet(1)
    client.force_login(reader)
    board = client.get(URL, {"member": mine.pk}).context["board"]
    assert {s.member_id for s in board.silent.rows} == {mine.pk}
    assert {m.sensor.member_id for m in board.batteries.rows} == {mine.pk}
    assert {g.owner_id for g in board.gateways.rows} == {mine.pk}
    assert board.ingestion.values == 2
    board = client.get(URL, {"kind": SensorKind.WATER_METER}).context["board"]
    assert board.silent.count == board.batteries.count == board.ingestion.values == 0
    board = client.get(URL, {"commune": other.commune.insee_code}).context["board"]
    assert {s.member_id for s in board.silent.rows} == {other.pk}


def test_the_query_count_does_not_grow_with_the_fleet(client, reader):
    client.force_login(reader)
    fleet(2)
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    fleet(12)
    with CaptureQueriesContext(connection) as large:
        assert client.get(URL).context["board"].silent.count == 14
    assert len(large) == len(small)


def test_htmx_refreshes_the_lists_alone_and_the_refresh_can_be_stopped(client, reader):
    fleet(1)
    client.force_login(reader)
    fragment = client.get(URL, headers={"HX-Request": "true"})
    assert b"<html" not in fragment.content and b"Silencieux 0" in fragment.content
    stopped = client.get(URL, {"auto": "0"}).content.decode()
    assert "hx-trigger" not in stopped and "Reprendre l'actualisation" in stopped


def test_member_agents_do_not_see_the_screen(client, agent):
    client.force_login(agent)
    assert client.get(URL).status_code == 403
