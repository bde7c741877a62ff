"""« Mon espace » : a member's agent sees its sensors, their latest values, charts by
sensor and by building from the rollups, exports any bounded period, and never another
member's sensors — on the pages, in the exports, in the API."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from mutualis.iot.models import Quantity, Reading, SensorKind
from mutualis.iot.rollups import rollups_refresh
from mutualis.iot.tests.factories import make_sensor
from mutualis.members.tests.factories import AgentAccessFactory, MemberFactory

pytestmark = pytest.mark.django_db
NOV_30 = dt.datetime(2026, 11, 30, 9, tzinfo=dt.UTC)  # 10 h in Paris


@pytest.fixture(autouse=True)
def _kept_forever(settings):
    settings.IOT_RAW_RETENTION_DAYS = 0


def record(sensor, quantity, values):
    """(time, value) pairs written and rolled up as the ingestion does."""
    measure = sensor.measures.get(quantity=quantity)
    Reading.objects.bulk_create(
        [Reading(sensor=sensor, measure=measure, time=t, value=v) for t, v in values]
    )
    rollups_refresh([(sensor.pk, measure.pk, t) for t, _v in values])


@pytest.fixture
def school(member):
    room = make_sensor(member, name="École Jules-Ferry, salle 2")
    hall = make_sensor(member, name="École Jules-Ferry, préau")
    record(room, Quantity.TEMPERATURE, [(NOV_30, 19.0), (NOV_30 + dt.timedelta(minutes=30), 20.0)])
    record(hall, Quantity.TEMPERATURE, [(NOV_30, 14.0)])
    return room, hall


def page(client, name, member, *args, **params):
    return client.get(reverse(f"iot_portal:{name}", args=[member.pk, *args]), params)


def temperature_of(response):
    return {c["series"].quantity: c["series"] for c in response.context["charts"]}[
        Quantity.TEMPERATURE
    ]


def test_the_list_shows_my_sensors_with_their_latest_values(client, agent, member, school):
    client.force_login(agent)
    body = page(client, "sensor_list", member).content.decode()
    assert "École Jules-Ferry, salle 2" in body and "Température : 20" in body
    assert "École Jules-Ferry</a>" in body  # the building's link


def test_a_sensors_month_day_and_year_come_from_the_rollups(client, agent, member, school):
    room, _hall = school
    client.force_login(agent)
    Reading.objects.all().delete()  # the pages read the rollups only
    month = page(client, "sensor_detail", member, room.pk, vue="mois", date="2026-11-15")
    temperature = temperature_of(month)
    assert len(temperature.points) == 30
    assert temperature.points[29].value == 19.5 and temperature.points[28].value is None
    body = month.content.decode()
    assert '<svg role="img"' in body and "<title id=" in body and "<desc id=" in body
    assert "<caption>Température — nov. 2026</caption>" in body
    day = page(client, "sensor_detail", member, room.pk, vue="jour", date="30/11/2026")
    points = temperature_of(day).points
    assert [p.label for p in points if p.count] == ["10 h"] and len(points) == 24
    year = page(client, "sensor_detail", member, room.pk, vue="annee", date="2026-01-01")
    points = temperature_of(year).points
    assert [(p.label, p.count, p.min, p.max) for p in points if p.count] == [
        ("nov.", 2, 19.0, 20.0)
    ]


def test_a_building_weighs_its_sensors_and_adds_up_consumptions(client, agent, member, school):
    meter = make_sensor(
        member,
        name="École Jules-Ferry, compteur",
        kind=SensorKind.WATER_METER,
        quantities=[Quantity.WATER_VOLUME],
    )
    record(meter, Quantity.WATER_VOLUME, [(NOV_30, 100.0), (NOV_30 + dt.timedelta(days=1), 103.5)])
    client.force_login(agent)
    response = page(
        client, "building", member, nom="École Jules-Ferry", vue="mois", date="2026-11-01"
    )
    by_quantity = {c["series"].quantity: c["series"] for c in response.context["charts"]}
    assert by_quantity[Quantity.TEMPERATURE].points[29].value == pytest.approx(53 / 3)
    december = page(
        client, "building", member, nom="École Jules-Ferry", vue="annee", date="2026-06-01"
    )
    water = {c["series"].quantity: c["series"] for c in december.context["charts"]}[
        Quantity.WATER_VOLUME
    ]
    assert [p.value for p in water.points][10:] == [0.0, 3.5]  # Nov: first index; Dec: 3.5 m³


def test_exports_of_a_bounded_period(client, agent, member, school):
    room, _hall = school
    client.force_login(agent)
    raw = page(
        client,
        "export",
        member,
        sensor=room.pk,
        since="30/11/2026",
        until="30/11/2026",
        step="valeurs",
        format="csv",
    )
    lines = b"".join(raw.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == "capteur;nom;grandeur;unite;heure;valeur"
    assert lines[1].endswith(";temperature;°C;2026-11-30T10:00:00+01:00;19,0")
    assert len(lines) == 3
    daily = page(
        client, "export", member, since="01/11/2026", until="30/11/2026", step="jour", format="json"
    )
    rows = json.loads(b"".join(daily.streaming_content))
    assert sorted((r["name"], r["start"], r["count"], r["mean"]) for r in rows) == [
        ("École Jules-Ferry, préau", "2026-11-30", 1, 14.0),
        ("École Jules-Ferry, salle 2", "2026-11-30", 2, 19.5),
    ]
    too_long = page(
        client, "export", member, since="01/01/2025", until="31/12/2026", step="jour", format="csv"
    )
    assert too_long.status_code == 400 and "366 jours au plus" in too_long.content.decode()


def test_another_member_never_sees_my_sensors(client, member, school):
    room, _hall = school
    other = MemberFactory(name="Commune voisine")
    outsider = AgentAccessFactory(member=other).user
    client.force_login(outsider)
    assert page(client, "sensor_list", member).status_code == 404
    assert page(client, "sensor_detail", other, room.pk).status_code == 404
    assert page(client, "building", other, nom="École Jules-Ferry").status_code == 404
    refused = page(
        client,
        "export",
        other,
        sensor=room.pk,
        since="30/11/2026",
        until="30/11/2026",
        step="valeurs",
        format="csv",
    )
    assert refused.status_code == 400  # not one of the choices
    mine = page(
        client,
        "export",
        other,
        since="30/11/2026",
        until="30/11/2026",
        step="valeurs",
        format="json",
    )
    assert json.loads(b"".join(mine.streaming_content)) == []
    api = APIClient()
    api.force_authenticate(outsider)
    for path in ("/api/v1/iot/hourly/", "/api/v1/iot/daily/"):
        assert api.get(path).json()["count"] == 0


def test_the_api_gives_my_rollups(agent, member, school):
    room, _hall = school
    api = APIClient()
    api.force_authenticate(agent)
    daily = api.get("/api/v1/iot/daily/", {"sensor": room.pk, "since": "2026-11-30"}).json()
    assert [(r["day"], r["count"], r["mean"], r["unit"]) for r in daily["results"]] == [
        ("2026-11-30", 2, 19.5, "°C")
    ]
    hourly = api.get("/api/v1/iot/hourly/", {"quantity": "temperature", "until": "2026-11-30"})
    assert hourly.json()["count"] == 0
    assert api.get("/api/v1/iot/daily/", {"since": "demain"}).status_code == 400
