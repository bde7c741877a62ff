"""RGAA / WCAG 2.1 AA: axe-core over the alert pages (operator and « Mon espace »)."""

import datetime as dt

import pytest

from mutualis.alerts.tests.tenancy import AT, make_alert, make_consent, water_meter
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
