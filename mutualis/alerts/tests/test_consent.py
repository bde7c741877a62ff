"""No consent, no inactivity alert; a withdrawn consent stops the watch and erases it; seen
only by the member's agents and the people it names."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from mutualis.alerts import services
from mutualis.alerts.models import Alert, Cause, MonitoringConsent, OnCallContact
from mutualis.alerts.tests.tenancy import AT, make_alert, make_consent, water_meter
from mutualis.core.roles import OperatorRole
from mutualis.core.tests.factories import UserFactory
from mutualis.members.tests.factories import AgentAccessFactory, MemberFactory

pytestmark = pytest.mark.django_db


def test_no_consent_no_inactivity_alert():
    meter = water_meter(MemberFactory())
    raised = services.alert_raise(sensor=meter, cause=Cause.INACTIVITY, at=AT)
    assert raised.alert is None and raised.reason == "no_consent"
    assert not Alert.objects.exists()


def test_with_consent_the_named_contacts_are_told(django_capture_on_commit_callbacks):
    consent = make_consent(MemberFactory())
    with django_capture_on_commit_callbacks(execute=True):
        raised = services.alert_raise(sensor=consent.sensor, cause=Cause.INACTIVITY, at=AT)
    assert raised.opened
    assert [m.to for m in mail.outbox] == [["paul.d@example.fr"]]


def test_withdrawal_stops_the_watch_and_deletes_its_alerts_and_personal_data():
    member = MemberFactory()
    consent = make_consent(member)
    services.alert_raise(sensor=consent.sensor, cause=Cause.INACTIVITY, at=AT)
    leak = make_alert(member, sensor=consent.sensor)  # a leak on the same meter stays
    agent = AgentAccessFactory(member=member).user
    services.consent_withdraw(consent=consent, user=agent)
    consent.refresh_from_db()
    assert consent.withdrawn_by == agent and consent.withdrawn_at is not None
    assert consent.contacts == "" and "Mme D." not in consent.person
    assert list(Alert.objects.all()) == [leak]
    later = services.alert_raise(
        sensor=consent.sensor, cause=Cause.INACTIVITY, at=AT + dt.timedelta(days=1)
    )
    assert later.alert is None and later.reason == "no_consent"


def test_resolved_inactivity_alerts_are_purged_after_the_retention():
    consent = make_consent(MemberFactory())
    alert = services.alert_raise(sensor=consent.sensor, cause=Cause.INACTIVITY, at=AT).alert
    alert = services.alert_resolve(alert=alert, user=UserFactory(), note="Voisine passée")
    assert services.purge_expired(now=alert.resolved_at + dt.timedelta(days=89)) == 0
    assert services.purge_expired(now=alert.resolved_at + dt.timedelta(days=91)) == 1


def test_only_the_members_agents_and_the_named_people_see_the_watch():
    member = MemberFactory()
    named = UserFactory(operator_role=OperatorRole.MANAGER)
    other_staff = UserFactory(operator_role=OperatorRole.ADMINISTRATOR)
    consent = make_consent(member, viewers=[named])
    alert = services.alert_raise(sensor=consent.sensor, cause=Cause.INACTIVITY, at=AT).alert
    agent = AgentAccessFactory(member=member).user
    outsider = AgentAccessFactory(member=MemberFactory()).user
    for user, sees in [(agent, True), (named, True), (other_staff, False), (outsider, False)]:
        assert MonitoringConsent.objects.visible_to(user).filter(pk=consent.pk).exists() is sees
        assert Alert.objects.visible_to(user).filter(pk=alert.pk).exists() is sees
    # a leak alert on the same member stays visible to all operator staff
    leak = make_alert(member)
    assert Alert.objects.visible_to(other_staff).filter(pk=leak.pk).exists()


def test_the_member_records_a_consent_from_its_space(client):
    member = MemberFactory()
    meter = water_meter(member)
    agent = AgentAccessFactory(member=member).user
    client.force_login(agent)
    url = f"/mon-espace/{member.pk}/consentements/"
    body = {
        "sensor": meter.pk,
        "person": "M. R.",
        "given_by": "M. R.",
        "given_on": "01/11/2026",
        "purpose": "Prévenir sa fille.",
        "contacts": "Anne R. <anne.r@example.fr>",
        "retention_days": "60",
    }
    assert client.post(url, body).status_code == 302
    consent = MonitoringConsent.objects.get()
    assert consent.contact_addresses() == ["anne.r@example.fr"]
    assert set(consent.viewers.all()) == {agent}
    again = client.post(url, body)
    assert again.status_code == 400
    assert "déjà un consentement" in again.content.decode()
    assert "M. R." in client.get(url).content.decode()


def _data(sensor, contacts):
    return services.ConsentData(
        sensor=sensor,
        person="M. R.",
        given_by="M. R.",
        given_on=dt.date(2026, 11, 1),
        purpose="Prévenir sa fille et sa voisine.",
        contacts=contacts,
        retention_days=60,
    )


def test_a_consent_names_people_to_tell_beyond_who_records_it_and_they_alone_are_told(
    django_capture_on_commit_callbacks,
):
    member = MemberFactory()
    meter = water_meter(member)
    agent = AgentAccessFactory(member=member, user__email="agent@mairie.example.fr").user
    with pytest.raises(ValidationError) as refused:
        services.consent_record(member=member, data=_data(meter, f"Moi, {agent.email}"), user=agent)
    assert "autre que vous-même" in str(refused.value)
    daughter = UserFactory(email="anne.r@example.fr")  # she has an account
    contacts = "Anne R. <Anne.R@example.fr>\nVoisine, voisine.m@example.fr"
    consent = services.consent_record(member=member, data=_data(meter, contacts), user=agent)
    assert set(consent.viewers.all()) == {agent, daughter}

    OnCallContact.objects.create(member=member, name="Astreinte", email="astreinte@example.fr")
    with django_capture_on_commit_callbacks(execute=True):
        alert = services.alert_raise(sensor=meter, cause=Cause.INACTIVITY, at=AT).alert
    assert [sorted(m.to) for m in mail.outbox] == [["Anne.R@example.fr", "voisine.m@example.fr"]]
    assert "M. R." not in mail.outbox[0].body  # the mail names the meter, not the person
    staff = UserFactory(operator_role=OperatorRole.ADMINISTRATOR)
    for user, sees in [(daughter, True), (agent, True), (staff, False)]:
        assert Alert.objects.visible_to(user).filter(pk=alert.pk).exists() is sees

    services.consent_withdraw(consent=consent, user=agent)
    assert not Alert.objects.exists()
    assert not MonitoringConsent.objects.visible_to(daughter).exists()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        later = services.alert_raise(sensor=meter, cause=Cause.INACTIVITY, at=AT)
    assert later.alert is None and mail.outbox == []
