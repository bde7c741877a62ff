"""Network servers may post uplinks by HTTP with their token; without it nothing is stored."""

import pytest
from django.test import Client

from mutualis.iot.models import Decoder, DeviceModel, QuarantinedMessage, Reading
from mutualis.iot.tests.factories import make_sensor
from mutualis.iot.tests.messages import chirpstack_up, tts_up

pytestmark = pytest.mark.django_db
TOKEN = "chirpstack-token-0123456789abcdef"


@pytest.fixture(autouse=True)
def servers(settings):
    settings.IOT_WEBHOOKS = {"sdn": ("chirpstack", TOKEN), "ttn": ("tts", "t" * 30)}


@pytest.fixture
def sensor():
    DeviceModel.objects.create(make="Elsys", model="ERS", decoder=Decoder.LPP)
    return make_sensor(dev_eui="0004a30b001c0530")


def post(server, body, token=TOKEN, query=""):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return Client().post(
        f"/iot/uplinks/{server}/{query}", body, content_type="application/json", headers=headers
    )


def test_a_chirpstack_uplink_by_http_is_stored_once(sensor):
    _topic, body = chirpstack_up()
    response = post("sdn", body)
    assert response.status_code == 200
    assert response.json() == {"uplinks": 1, "readings": 2}
    post("sdn", body)  # the network server retries: nothing more
    assert Reading.objects.count() == 2


def test_a_things_stack_webhook():
    make_sensor(dev_eui="70b3d57ed0051a2b", quantities=["temperature"], make="X")
    response = post("ttn", tts_up(decoded={"temperature": 3.5})[1], token="t" * 30)
    assert response.json() == {"uplinks": 1, "readings": 1}


@pytest.mark.parametrize(
    ("server", "token"), [("sdn", ""), ("sdn", "wrong-token"), ("inconnu", TOKEN), ("ttn", TOKEN)]
)
def test_without_the_servers_token_nothing_is_stored(sensor, server, token):
    response = post(server, chirpstack_up()[1], token=token)
    assert response.status_code == 401
    assert Reading.objects.count() == QuarantinedMessage.objects.count() == 0


def test_other_events_are_ignored_and_malformed_uplinks_quarantined(sensor):
    assert post("sdn", b'{"join": true}', query="?event=join").status_code == 204
    response = post("sdn", b"[not json")
    assert response.json() == {"uplinks": 0, "readings": 0, "malformed": 1}
    assert QuarantinedMessage.objects.get().source == "http"


def test_only_posts_are_taken(sensor):
    assert Client().get("/iot/uplinks/sdn/").status_code == 405
