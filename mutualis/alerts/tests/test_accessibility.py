"""RGAA / WCAG 2.1 AA: axe-core over the alert pages (operator and « Mon espace »)."""

import datetime as dt
import os

import pytest

from mutualis.alerts.models import Alert, Cause
from mutualis.alerts.tests.tenancy import AT, make_alert, make_consent, make_sector, water_meter
from mutualis.core.roles import OperatorRole
from mutualis.core.tests.browser import check_accessibility, login
from mutualis.core.tests.factories import UserFactory
from mutualis.iot.models import Quantity, Reading
from mutualis.members.tests.factories import AgentAccessFactory, MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "motdepasse-solide"


def test_alert_pages(new_context):
    member = MemberFactory(name="Saint-Aubin")
    meter = water_meter(member, name="École des Tilleuls")
    measure = meter.measures.get(quantity=Quantity.WATER_VOLUME)
    start = AT - dt.timedelta(days=2)
    Reading.objects.bulk_create(
        Reading(sensor=meter, measure=measure, time=start + dt.timedelta(hours=h), value=h / 100)
        for h in range(49)
    )
    alert = make_alert(member, sensor=meter)
    agent = AgentAccessFactory(member=member).user
    make_consent(member, viewers=[agent])
    manager = UserFactory(username="resp", operator_role=OperatorRole.MANAGER)

    page = new_context().new_page()
    login(page, manager.username, PASSWORD)
    for url in ["/operateur/alertes/", f"/operateur/alertes/{alert.pk}/"]:
        check_accessibility(page, url)

    page = new_context().new_page()
    login(page, agent.username, PASSWORD)
    base = f"/mon-espace/{member.pk}/"
    for url in [f"{base}alertes/", f"{base}alertes/{alert.pk}/", f"{base}consentements/"]:
        check_accessibility(page, url)


SHOTS = os.environ.get("ALERTS_SCREENSHOTS", "")


def test_sector_pages_and_the_balance_alert_and_the_elus_block(new_context):
    member = MemberFactory(name="Saint-Aubin")
    sector = make_sector(member)
    start = AT - dt.timedelta(days=6)
    meters = [sector.district, *sector.behind.order_by("pk")]
    for n, meter in enumerate(meters):
        measure = meter.measures.get(quantity=Quantity.WATER_VOLUME)
        rate = [0.16, 0.05, 0.07][n]
        Reading.objects.bulk_create(
            Reading(
                sensor=meter,
                measure=measure,
                time=start + dt.timedelta(hours=h),
                value=10 + rate * h + (0.03 * max(0, h - 96) if n == 0 else 0),
            )
            for h in range(0, 6 * 24 + 1)
        )
    alert = make_alert(member, cause=Cause.NETWORK_BALANCE, sensor=sector.district)
    Alert.objects.filter(pk=alert.pk).update(window_start=start, window_end=AT)
    agent = AgentAccessFactory(member=member).user
    manager = UserFactory(username="resp2", operator_role=OperatorRole.MANAGER)

    page = new_context().new_page()
    login(page, manager.username, PASSWORD)
    for name, url in [
        ("secteurs", "/operateur/alertes/secteurs/"),
        ("secteur", f"/operateur/alertes/secteurs/{sector.pk}/"),
        ("nouveau", f"/operateur/alertes/secteurs/nouveau/?membre={member.pk}"),
        ("bilan", f"/operateur/alertes/{alert.pk}/"),
    ]:
        check_accessibility(page, url)
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)

    page = new_context().new_page()
    login(page, agent.username, PASSWORD)
    for name, url in [
        ("portail-secteurs", f"/mon-espace/{member.pk}/secteurs/"),
        ("elus", f"/elus/{member.pk}/?annee={AT.year}"),
    ]:
        check_accessibility(page, url)
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)
