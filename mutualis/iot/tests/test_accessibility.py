"""RGAA / WCAG 2.1 AA: axe-core over the sensor pages, as a manager."""

import datetime as dt

import pytest

from mutualis.core.roles import OperatorRole
from mutualis.core.tests.browser import (
    BLOCKING_IMPACTS,
    check_accessibility,
    format_violations,
    login,
    run_axe,
)
from mutualis.core.tests.factories import UserFactory
from mutualis.iot.models import Gateway
from mutualis.iot.services import DeviceData, sensor_battery_change, sensor_replace
from mutualis.iot.tests.factories import ReadingFactory, make_sensor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "motdepasse-solide"


def test_sensor_pages(new_context):
    sensor = make_sensor(name="École Jules-Ferry, salle 2")
    ReadingFactory(sensor=sensor)
    sensor_battery_change(sensor=sensor, date=dt.date(2026, 10, 1), note="Pile neuve")
    sensor_replace(sensor=sensor, date=dt.date(2026, 11, 1), device=DeviceData("a8404100ffff0001"))
    Gateway.objects.create(eui="b827ebfffe61cc3d", name="Mairie", last_rssi=-97, last_snr=7.5)
    manager = UserFactory(username="resp", operator_role=OperatorRole.MANAGER)

    page = new_context().new_page()
    login(page, manager.username, PASSWORD)
    base = "/operateur/capteurs/"
    for url in [
        base,
        f"{base}?kind=comfort",
        f"{base}nouveau/",
        f"{base}{sensor.pk}/",
        f"{base}{sensor.pk}/modifier/",
        f"{base}{sensor.pk}/intervention/",
        f"{base}passerelles/",
    ]:
        check_accessibility(page, url)
    # A form sent back with its errors is checked too.
    page.goto(f"{base}{sensor.pk}/intervention/")
    page.select_option("#id_kind", "move")
    page.fill("#id_date", "2026-11-20")
    page.click("form.card button[type=submit]")
    page.wait_for_selector("[role=alert]")
    blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, format_violations(page.url, blocking)
