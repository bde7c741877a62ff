"""The SensorThings API answers anyone, shows only public sensors, and pages."""

import datetime as dt

import pytest

from mutualis.alerts.tests.tenancy import make_consent, water_meter
from mutualis.iot.models import Quantity, Reading, SensorKind
from mutualis.iot.tests.factories import make_sensor
from mutualis.members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


@pytest.fixture
def world():
    member = MemberFactory(name="Cenon")
    air = make_sensor(
        member,
        name="Place de la mairie, air",
        kind=SensorKind.AIR_QUALITY,
        quantities=(Quantity.CO2, Quantity.TEMPERATURE),
        open_data=True,
    )
    private = make_sensor(member, name="Bureau du maire", open_data=False)
    meter = water_meter(member, name="Compteur d'un logement", open_data=True)
    consented = make_sensor(member, name="Logement suivi", open_data=True)
    make_consent(member, sensor=consented)
    co2 = air.measures.get(quantity=Quantity.CO2)
    for h in range(5):
        Reading.objects.create(
            sensor=air, measure=co2, time=T0 + dt.timedelta(hours=h), value=400.0 + h
        )
    for sensor in (private, meter, consented):
        m = sensor.measures.first()
        Reading.objects.create(sensor=sensor, measure=m, time=T0, value=1.0)
    return {"air": air, "co2": co2, "hidden": (private, meter, consented)}


def get(client, path, **params):
    response = client.get(f"/sta/v1.1/{path}", params)
    return response.status_code, response.json()


def test_only_public_sensors_are_published(client, world):
    status, things = get(client, "Things")
    assert status == 200
    assert [t["name"] for t in things["value"]] == ["Place de la mairie, air"]
    for hidden in world["hidden"]:
        assert get(client, f"Things({hidden.pk})")[0] == 404
        assert get(client, f"Things({hidden.pk})/Datastreams")[0] == 404
    _, observations = get(client, "Observations", **{"$count": "true"})
    assert observations["@iot.count"] == 5
    _, streams = get(client, "Datastreams")
    assert {d["name"] for d in streams["value"]} == {
        "Place de la mairie, air — Dioxyde de carbone",
        "Place de la mairie, air — Température",
    }
    assert streams["value"][0]["properties"]["license"] == "Licence Ouverte 2.0"


def test_paging_follows_next_links_to_the_end(client, world):
    seen, url = [], "/sta/v1.1/Observations?$top=2&$orderby=phenomenonTime desc&$count=true"
    pages = 0
    while url:
        body = client.get(url).json()
        assert body["@iot.count"] == 5
        seen += [o["result"] for o in body["value"]]
        url = body.get("@iot.nextLink")
        pages += 1
    assert pages == 3
    assert seen == [404.0, 403.0, 402.0, 401.0, 400.0]


def test_filter_on_time_value_and_ids(client, world):
    co2 = world["co2"]
    _, body = get(
        client,
        "Observations",
        **{
            "$filter": f"Datastream/id eq {co2.pk} and phenomenonTime gt "
            "2026-11-01T01:00:00Z and result lt 404"
        },
    )
    assert [o["result"] for o in body["value"]] == [402.0, 403.0]
    _, nav = get(client, f"Datastreams({co2.pk})/Observations", **{"$top": "1"})
    assert len(nav["value"]) == 1 and "@iot.nextLink" in nav
    _, thing = get(client, f"Datastreams({co2.pk})/Thing")
    assert thing["@iot.id"] == world["air"].pk
    _, prop = get(client, f"Datastreams({co2.pk})/ObservedProperty")
    assert prop["definition"] == "co2"


def test_a_query_it_cannot_read_is_refused_in_french(client, world):
    status, body = get(client, "Observations", **{"$filter": "result eq 1 or id eq 2"})
    assert status == 400 and "comparaisons" in body["message"]
    assert get(client, "Observations", **{"$top": "100000"})[0] == 400
    assert get(client, "Observations", **{"$orderby": "value"})[0] == 400
    assert get(client, "Nothing")[0] == 404


def test_the_service_root_lists_the_entity_sets(client, world):
    status, body = get(client, "")
    assert status == 200
    assert {e["name"] for e in body["value"]} == {
        "Things",
        "Locations",
        "Sensors",
        "Datastreams",
        "Observations",
        "ObservedProperties",
    }
    _, locations = get(client, "Locations")
    assert locations["value"][0]["location"]["type"] == "Point"


def test_monthly_csv_states_the_licence_and_holds_that_month(client, world):
    co2 = world["co2"]
    response = client.get(f"/donnees-ouvertes/{co2.pk}/2026-11.csv")
    assert response.status_code == 200
    assert 'rel="license"' in response["Link"]
    lines = response.content.decode().splitlines()
    assert lines[0] == "heure,valeur,unite,capteur,grandeur,licence"
    assert len(lines) == 6
    assert lines[1].endswith("Licence Ouverte 2.0")
    assert len(client.get(f"/donnees-ouvertes/{co2.pk}/2026-10.csv").content.splitlines()) == 1
    meter = world["hidden"][1]
    assert (
        client.get(f"/donnees-ouvertes/{meter.measures.first().pk}/2026-11.csv").status_code == 404
    )
    page = client.get("/donnees-ouvertes/").content.decode()
    assert "Licence Ouverte 2.0" in page and "Place de la mairie, air" in page
    assert "Compteur d&#x27;un logement" not in page and "Bureau du maire" not in page
