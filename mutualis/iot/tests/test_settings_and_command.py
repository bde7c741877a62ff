"""The webhook servers are read loudly from the environment; `mutualis iot ingest` is the
worker's command."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from mutualis.config.env import env_webhooks


def test_webhook_servers_from_the_environment(monkeypatch):
    token = "0123456789abcdef01234567"
    monkeypatch.setenv("IOT_WEBHOOKS", f"sdn=chirpstack:{token}, ttn = TTS : {token}x")
    assert env_webhooks("IOT_WEBHOOKS") == {
        "sdn": ("chirpstack", token),
        "ttn": ("tts", token + "x"),
    }


@pytest.mark.parametrize(
    "value", ["sdn=chirpstack:court", "sdn=loriot:0123456789abcdef01234567", "=tts:x", "sdn"]
)
def test_a_webhook_server_misdeclared_stops_the_start(monkeypatch, value):
    monkeypatch.setenv("IOT_WEBHOOKS", value)
    with pytest.raises(ImproperlyConfigured):
        env_webhooks("IOT_WEBHOOKS")


def test_the_mutualis_command_names_the_worker(monkeypatch):
    from mutualis import cli

    called = []
    monkeypatch.setattr(
        "django.core.management.execute_from_command_line", lambda argv: called.append(argv)
    )
    assert cli.main(["iot", "ingest", "--client-id", "w1"]) == 0
    assert called == [["mutualis", "iot_ingest", "--client-id", "w1"]]
