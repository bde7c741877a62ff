import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings

from mutualis.alerts import services
from mutualis.alerts.models import Alert, AlertStatus, Cause, MaintenanceWindow, OnCallContact
from mutualis.alerts.tests.tenancy import AT, make_alert, water_meter
from mutualis.core.tests.factories import UserFactory
from mutualis.members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meter():
    member = MemberFactory(name="Saint-Aubin")
    OnCallContact.objects.create(member=member, name="Astreinte", email="astreinte@mairie.fr")
    OnCallContact.objects.create(member=member, name="DGS", email="dgs@mairie.fr", escalation=True)
    OnCallContact.objects.create(member=member, name="Parti", email="parti@mairie.fr", active=False)
    return water_meter(member)


def test_one_open_alert_per_cause_updated_by_later_findings(
    meter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.alert_raise(sensor=meter, cause=Cause.NIGHT_FLOW, at=AT, measured=3.0)
        again = services.alert_raise(
            sensor=meter, cause=Cause.NIGHT_FLOW, at=AT + dt.timedelta(days=1), measured=4.0
        )
        other = services.alert_raise(sensor=meter, cause=Cause.CONTINUOUS_FLOW, at=AT)
    assert first.opened and not again.opened and other.opened
    assert again.alert.pk == first.alert.pk
    alert = Alert.objects.get(pk=first.alert.pk)
    assert alert.occurrences == 2
    assert alert.measured == 4.0
    assert alert.last_seen_at == AT + dt.timedelta(days=1)
    assert Alert.objects.count() == 2
    # one mail per opened alert, to the active on-call contacts only
    assert len(mail.outbox) == 2
    assert sorted(mail.outbox[0].to) == ["astreinte@mairie.fr", "dgs@mairie.fr"]
    assert "Fuite : débit de nuit anormal" in mail.outbox[0].subject


def test_acknowledge_then_resolve_with_a_note_then_a_new_finding_opens_a_new_alert(meter):
    user = UserFactory()
    alert = services.alert_raise(sensor=meter, cause=Cause.NIGHT_FLOW, at=AT).alert
    services.alert_acknowledge(alert=alert, user=user, note="Plombier prévenu")
    with pytest.raises(ValidationError):
        services.alert_acknowledge(alert=alert, user=user)
    with pytest.raises(ValidationError, match="ce qui a été fait"):
        services.alert_resolve(alert=alert, user=user, note=" ")
    services.alert_resolve(alert=alert, user=user, note="Chasse d'eau réparée")
    alert.refresh_from_db()
    assert alert.status == AlertStatus.RESOLVED
    assert (alert.acknowledged_by, alert.acknowledged_note) == (user, "Plombier prévenu")
    assert (alert.resolved_by, alert.resolved_note) == (user, "Chasse d'eau réparée")
    later = services.alert_raise(sensor=meter, cause=Cause.NIGHT_FLOW, at=AT + dt.timedelta(days=9))
    assert later.opened and later.alert.pk != alert.pk


def test_a_maintenance_window_suppresses_new_alerts(meter):
    MaintenanceWindow.objects.create(
        member=meter.member,
        starts_at=AT - dt.timedelta(hours=1),
        ends_at=AT + dt.timedelta(hours=1),
    )
    raised = services.alert_raise(sensor=meter, cause=Cause.NIGHT_FLOW, at=AT)
    assert raised.alert is None and raised.reason == "maintenance"
    after = services.alert_raise(
        sensor=meter, cause=Cause.NIGHT_FLOW, at=AT + dt.timedelta(hours=2)
    )
    assert after.opened


@override_settings(ALERT_ESCALATION_MINUTES=60)
def test_an_alert_nobody_acknowledged_in_time_is_escalated_once(
    meter, django_capture_on_commit_callbacks
):
    late = make_alert(meter.member, sensor=meter)
    handled = make_alert(meter.member, cause=Cause.SILENCE, sensor=meter)
    services.alert_acknowledge(alert=handled, user=UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        assert services.alerts_escalate(now=AT + dt.timedelta(minutes=30)) == 0
        assert services.alerts_escalate(now=AT + dt.timedelta(minutes=61)) == 1
        assert services.alerts_escalate(now=AT + dt.timedelta(minutes=120)) == 0
    late.refresh_from_db()
    assert late.escalated_at == AT + dt.timedelta(minutes=61)
    assert late.severity == "critical"  # a warning goes up one step
    assert [m.to for m in mail.outbox] == [["dgs@mairie.fr"]]
    assert mail.outbox[0].subject.startswith("[Relance]")
