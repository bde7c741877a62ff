"""Who changed what, when and from where: recorded for each tracked change, shown on the
object's page, searchable by the administrator, never editable."""

import datetime as dt

import pytest

from mutualis.audit.models import BulkEvent
from mutualis.billing.models import ChargeLine
from mutualis.catalog.models import Subscription
from mutualis.catalog.tests.factories import SubscriptionFactory
from mutualis.core.models import User
from mutualis.core.tests.factories import UserFactory
from mutualis.governance.services import operator_decision
from mutualis.members.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def behind_proxy(settings):
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXY_NETWORKS = []


def test_the_member_page_answers_who_changed_this_subscription_and_when(client, behind_proxy):
    subscription = SubscriptionFactory(member=MembershipFactory().member)
    manager = UserFactory(manager=True, username="claire.responsable")
    client.force_login(manager)
    response = client.post(
        f"/operateur/souscriptions/{subscription.pk}/fin/",
        {"end_date": "2026-06-30"},
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert response.status_code == 302
    record = Subscription.history.filter(id=subscription.pk).latest("history_date")
    assert record.history_user == manager
    assert record.ip_address == "203.0.113.9"
    assert record.history_type == "~" and record.end_date == dt.date(2026, 6, 30)

    reader = UserFactory(read_only=True)
    client.force_login(reader)
    page = client.get(f"/operateur/membres/{subscription.member_id}/").content.decode()
    assert "Historique" in page
    assert "claire.responsable" in page and "203.0.113.9" in page
    assert "30/06/2026" in page or "2026-06-30" in page


def test_a_login_is_not_a_change_of_the_account_but_a_new_role_is(client):
    user = UserFactory(manager=True)
    before = User.history.filter(id=user.pk).count()
    client.force_login(user)
    assert User.history.filter(id=user.pk).count() == before
    user.operator_role = "administrator"
    user.save()
    latest = User.history.filter(id=user.pk).latest("history_date")
    assert latest.operator_role == "administrator"
    assert not hasattr(latest, "password")


def test_the_administrator_searches_by_user_model_date_and_object(client):
    subscription = SubscriptionFactory()
    someone = UserFactory(manager=True, username="paul")
    subscription._history_user = someone
    subscription.end_date = dt.date(2026, 12, 31)
    subscription.save()
    client.force_login(UserFactory(administrator=True))
    url = "/operateur/historique/"
    found = client.get(
        url,
        {
            "model": "catalog.subscription",
            "user": "paul",
            "object_id": subscription.pk,
            "since": dt.date.today().isoformat(),
        },
    ).content.decode()
    assert f"n° {subscription.pk}" in found and "paul" in found and "31/12/2026" in found
    assert " as of " not in found
    nothing = client.get(url, {"model": "catalog.subscription", "user": "nobody"}).content.decode()
    assert "Aucune modification enregistrée." in nothing
    # The trail is read-only: the page takes no writes.
    assert client.post(url, {"model": "catalog.subscription"}).status_code == 405


def test_other_roles_do_not_search_the_trail(client):
    client.force_login(UserFactory(manager=True))
    assert client.get("/operateur/historique/").status_code == 403


def test_bulk_writes_leave_one_event_on_their_run_shown_with_the_titre(client, issued_titres):
    run = issued_titres
    events = {e.action: e for e in BulkEvent.objects.filter(object_id=run.pk)}
    assert events["Lignes de participation calculées"].count == run.line_count
    invoices = list(run.invoices.order_by("number"))
    issued = events["Titres de recettes émis"]
    assert issued.count == len(invoices) == 3
    assert issued.detail["numéros"] == [invoices[0].number, invoices[-1].number]
    assert not hasattr(ChargeLine, "history")  # no copy per charge line

    client.force_login(UserFactory(accountant=True))
    page = client.get(f"/operateur/facturation/titres/{invoices[0].pk}/").content.decode()
    assert "Historique" in page and "Titres de recettes émis" in page
    assert "Lignes de participation calculées" in page


def test_adopting_a_new_version_records_the_previous_one_as_superseded():
    from mutualis.billing.services.tariffs import tariff_adopt, tariff_new_version
    from mutualis.billing.tests.factories import TariffFactory

    decision = operator_decision(
        body="Comité syndical",
        number="2026-3",
        date=dt.date(2026, 3, 1),
        subject="Tarifs",
    )
    first = tariff_adopt(tariff=TariffFactory(), decision=decision)
    tariff_adopt(tariff=tariff_new_version(tariff=first), decision=decision)
    statuses = list(first.history.order_by("history_date").values_list("status", flat=True))
    assert statuses == ["draft", "adopted", "superseded"]
