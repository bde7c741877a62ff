import datetime as dt

import pytest

from mutualis.alerts.models import AlertStatus
from mutualis.alerts.tests.tenancy import AT, make_alert, water_meter
from mutualis.core.roles import OperatorRole
from mutualis.core.tests.factories import UserFactory
from mutualis.iot.models import Quantity, Reading
from mutualis.members.tests.factories import AgentAccessFactory, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert():
    member = MemberFactory(name="Saint-Aubin")
    meter = water_meter(member, name="École des Tilleuls")
    measure = meter.measures.get(quantity=Quantity.WATER_VOLUME)
    start = AT - dt.timedelta(days=2)
    Reading.objects.bulk_create(
        Reading(
            sensor=meter, measure=measure, time=start + dt.timedelta(hours=h), value=10 + h / 100
        )
        for h in range(49)
    )
    return make_alert(member, sensor=meter)


def test_the_operator_sees_the_series_that_triggered_the_alert_and_resolves_it(client, alert):
    client.force_login(UserFactory(operator_role=OperatorRole.MANAGER))
    page = client.get(f"/operateur/alertes/{alert.pk}/").content.decode()
    assert "<svg" in page and "<polyline" in page
    assert "École des Tilleuls" in page
    assert "10,0" in page  # 0.01 m³ an hour: 10 L/h, in the table of values
    listing = client.get("/operateur/alertes/").content.decode()
    assert "Fuite : débit de nuit anormal" in listing
    response = client.post(f"/operateur/alertes/{alert.pk}/resolution/", {"note": "Réparé"})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.status == AlertStatus.RESOLVED and alert.resolved_note == "Réparé"


def test_the_members_agent_acknowledges_its_alert_but_does_not_resolve_it(client, alert):
    client.force_login(AgentAccessFactory(member=alert.member).user)
    base = f"/mon-espace/{alert.member_id}/alertes/"
    assert "École des Tilleuls" in client.get(base).content.decode()
    detail = client.get(f"{base}{alert.pk}/").content.decode()
    assert "Je prends en compte cette alerte" in detail
    assert "Résoudre" not in detail
    response = client.post(f"{base}{alert.pk}/prise-en-compte/", {"note": "On regarde"})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACKNOWLEDGED and alert.acknowledged_note == "On regarde"


def test_a_read_only_operator_sees_alerts_and_cannot_act(client, alert):
    client.force_login(UserFactory(operator_role=OperatorRole.READ_ONLY))
    page = client.get(f"/operateur/alertes/{alert.pk}/").content.decode()
    assert "Je prends en compte" not in page
    assert client.post(f"/operateur/alertes/{alert.pk}/prise-en-compte/").status_code == 403
