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


def _screenshot(page, name: str) -> None:
    """With IOT_SCREENSHOTS=<folder>, each page checked is also saved there, to be looked at."""
    import os
    from pathlib import Path

    folder = os.environ.get("IOT_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _history(sensor):
    """A month of values of each measure, every three hours, rolled up."""
    from django.utils import timezone

    from mutualis.iot.models import Reading
    from mutualis.iot.rollups import rollups_refresh

    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    rows = [
        Reading(sensor=sensor, measure=m, time=now - dt.timedelta(hours=3 * h), value=v)
        for m in sensor.measures.all()
        for h in range(240)
        for v in [19 + (h % 8) / 2 if m.quantity == "temperature" else 1000 - h * 0.25]
    ]
    Reading.objects.bulk_create(rows)
    rollups_refresh((r.sensor_id, r.measure_id, r.time) for r in rows)


def test_hypervision_and_member_sensor_pages(new_context):
    from mutualis.iot.models import Quantity, QuarantinedMessage, SensorKind
    from mutualis.members.tests.factories import AgentAccessFactory, MemberFactory

    member = MemberFactory(name="Saint-Médard")
    room = make_sensor(member, name="École Jules-Ferry, salle 2")
    meter = make_sensor(
        member,
        name="École Jules-Ferry, compteur",
        kind=SensorKind.WATER_METER,
        quantities=[Quantity.WATER_VOLUME, Quantity.BATTERY],
    )
    _history(room)
    _history(meter)
    make_sensor(member, name="Mairie, hall")  # silent: never heard
    Gateway.objects.create(eui="b827ebfffe61cc3d", name="Mairie")  # never seen
    QuarantinedMessage.objects.create(
        source="mqtt", reason="malformed", detail="json: not JSON", fingerprint="x"
    )
    reader = UserFactory(username="lecture", operator_role=OperatorRole.READ_ONLY)
    agent = AgentAccessFactory(member=member, user__username="mairie").user

    page = new_context().new_page()
    login(page, reader.username, PASSWORD)
    check_accessibility(page, "/operateur/capteurs/hypervision/")
    _screenshot(page, "hypervision")
    check_accessibility(page, "/operateur/capteurs/hypervision/?auto=0&kind=comfort")
    check_accessibility(page, f"/operateur/capteurs/{meter.pk}/?vue=mois")
    _screenshot(page, "operator-sensor")

    page = new_context().new_page()
    login(page, agent.username, PASSWORD)
    base = f"/mon-espace/{member.pk}/capteurs/"
    for name, url in [
        ("portal-sensors", base),
        ("portal-sensor-month", f"{base}{room.pk}/"),
        ("portal-sensor-day", f"{base}{room.pk}/?vue=jour"),
        ("portal-meter-year", f"{base}{meter.pk}/?vue=annee"),
        ("portal-building", f"{base}batiment/?nom=%C3%89cole+Jules-Ferry"),
        (
            "portal-export-refused",
            f"{base}export/?since=01/01/2020&until=01/01/2026&step=jour&format=csv",
        ),
    ]:
        if name == "portal-export-refused":
            page.goto(url)
            blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING_IMPACTS]
            assert not blocking, format_violations(url, blocking)
        else:
            check_accessibility(page, url)
        _screenshot(page, name)
