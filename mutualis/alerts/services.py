"""Writes of the alerts: raise (deduplicated, suppressed in maintenance), acknowledge,
resolve, escalate; record and withdraw a consent; purge what outlived its retention."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.alerts.models import (
    Alert,
    AlertStatus,
    Cause,
    MaintenanceWindow,
    MonitoringConsent,
    OnCallContact,
    Severity,
)
from mutualis.core.tasks import notify_on_commit
from mutualis.iot.models import Sensor

SEVERITY = {
    Cause.CONTINUOUS_FLOW: Severity.WARNING,
    Cause.NIGHT_FLOW: Severity.WARNING,
    Cause.DAILY_JUMP: Severity.CRITICAL,
    Cause.NETWORK_BALANCE: Severity.WARNING,
    Cause.SILENCE: Severity.INFO,
    Cause.INACTIVITY: Severity.CRITICAL,
    Cause.HEATING_UNOCCUPIED: Severity.WARNING,
    Cause.HEATING_OUT_OF_LINE: Severity.INFO,
}


def escalation_delay() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "ALERT_ESCALATION_MINUTES", 240))


def in_maintenance(sensor: Sensor, at: dt.datetime) -> bool:
    return (
        MaintenanceWindow.objects.filter(
            member_id=sensor.member_id, starts_at__lte=at, ends_at__gt=at
        )
        .filter(Q(sensor__isnull=True) | Q(sensor=sensor))
        .exists()
    )


def active_consent(sensor: Sensor) -> MonitoringConsent | None:
    return MonitoringConsent.objects.active().filter(sensor=sensor).first()


@dataclass(frozen=True)
class Raised:
    alert: Alert | None
    opened: bool
    reason: str = ""  # why nothing was raised: "maintenance", "no_consent"


@transaction.atomic
def alert_raise(
    *,
    sensor: Sensor,
    cause: str,
    at: dt.datetime,
    measured: float = 0.0,
    window: tuple[dt.datetime, dt.datetime] | None = None,
) -> Raised:
    """Opens an alert for ``sensor`` and ``cause``, or updates the one still unresolved."""
    consent = None
    if cause == Cause.INACTIVITY:
        consent = active_consent(sensor)
        if consent is None:
            return Raised(None, False, "no_consent")
    if in_maintenance(sensor, at):
        return Raised(None, False, "maintenance")
    start, end = window or (at - dt.timedelta(days=7), at)
    current = (
        Alert.objects.select_for_update().unresolved().filter(sensor=sensor, cause=cause).first()
    )
    if current is not None:
        current.last_seen_at = max(current.last_seen_at, at)
        current.occurrences += 1
        current.measured = measured
        current.window_end = max(current.window_end, end)
        current.save(
            update_fields=["last_seen_at", "occurrences", "measured", "window_end", "updated_at"]
        )
        return Raised(current, False)
    alert = Alert.objects.create(
        member_id=sensor.member_id,
        sensor=sensor,
        cause=cause,
        severity=SEVERITY.get(cause, Severity.WARNING),
        opened_at=at,
        last_seen_at=at,
        measured=measured,
        window_start=start,
        window_end=end,
    )
    recipients = (
        consent.contact_addresses()
        if consent is not None
        else list(
            OnCallContact.objects.filter(member_id=sensor.member_id, active=True).values_list(
                "email", flat=True
            )
        )
    )
    notify_on_commit(_subject(alert), _body(alert), recipients)
    return Raised(alert, True)


def _subject(alert: Alert, *, escalated: bool = False) -> str:
    prefix = _("[Relance] ") if escalated else ""
    return prefix + _("Alerte %(cause)s — %(sensor)s") % {
        "cause": alert.get_cause_display(),
        "sensor": alert.sensor.name,
    }


def _body(alert: Alert) -> str:
    local = timezone.localtime(alert.opened_at)
    return _(
        "Une alerte a été ouverte le %(when)s.\n\nCapteur : %(sensor)s\nMembre : %(member)s\n"
        "Cause : %(cause)s\nGravité : %(severity)s\n\nConsultez-la, prenez-la en compte ou "
        "résolvez-la dans Mutualis (Mon espace › Alertes)."
    ) % {
        "when": local.strftime("%d/%m/%Y %H:%M"),
        "sensor": alert.sensor.name,
        "member": alert.member.name,
        "cause": alert.get_cause_display(),
        "severity": alert.get_severity_display(),
    }


@transaction.atomic
def alert_acknowledge(*, alert: Alert, user, note: str = "") -> Alert:
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.status != AlertStatus.OPEN:
        raise ValidationError(_("Cette alerte n'est plus ouverte : elle est déjà prise en compte."))
    alert.status = AlertStatus.ACKNOWLEDGED
    alert.acknowledged_at = timezone.now()
    alert.acknowledged_by = user
    alert.acknowledged_note = note[:500]
    alert.save()
    return alert


@transaction.atomic
def alert_resolve(*, alert: Alert, user, note: str) -> Alert:
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.status == AlertStatus.RESOLVED:
        raise ValidationError(_("Cette alerte est déjà résolue."))
    if not note.strip():
        raise ValidationError(_("Dites en une phrase ce qui a été fait (note de résolution)."))
    now = timezone.now()
    if alert.acknowledged_at is None:
        alert.acknowledged_at, alert.acknowledged_by = now, user
    alert.status = AlertStatus.RESOLVED
    alert.resolved_at = now
    alert.resolved_by = user
    alert.resolved_note = note[:500]
    alert.save()
    return alert


@transaction.atomic
def alerts_escalate(*, now: dt.datetime) -> int:
    """Open alerts nobody acknowledged within the delay: escalated once, escalation contacts
    (or, for a monitored home, the consent's contacts) told again."""
    late = (
        Alert.objects.select_for_update()
        .filter(
            status=AlertStatus.OPEN,
            escalated_at__isnull=True,
            opened_at__lte=now - escalation_delay(),
        )
        .select_related("sensor", "member")
    )
    count = 0
    for alert in late:
        alert.escalated_at = now
        if alert.severity == Severity.INFO:
            alert.severity = Severity.WARNING
        elif alert.severity == Severity.WARNING:
            alert.severity = Severity.CRITICAL
        alert.save(update_fields=["escalated_at", "severity", "updated_at"])
        if alert.cause == Cause.INACTIVITY:
            consent = active_consent(alert.sensor)
            recipients = consent.contact_addresses() if consent else []
        else:
            recipients = list(
                OnCallContact.objects.filter(
                    member_id=alert.member_id, active=True, escalation=True
                ).values_list("email", flat=True)
            )
        notify_on_commit(_subject(alert, escalated=True), _body(alert), recipients)
        count += 1
    return count


@dataclass(frozen=True)
class ConsentData:
    sensor: Sensor
    person: str
    given_by: str
    given_on: dt.date
    purpose: str
    contacts: str
    retention_days: int


@transaction.atomic
def consent_record(*, member, data: ConsentData, user, viewers=()) -> MonitoringConsent:
    if data.sensor.member_id != member.pk:
        raise ValidationError(_("Ce compteur n'est pas celui d'un logement de ce membre."))
    if active_consent(data.sensor) is not None:
        raise ValidationError(_("Ce logement a déjà un consentement en cours."))
    consent = MonitoringConsent(
        member=member,
        sensor=data.sensor,
        person=data.person,
        given_by=data.given_by,
        given_on=data.given_on,
        purpose=data.purpose,
        contacts=data.contacts,
        retention_days=data.retention_days,
        recorded_by=user,
    )
    addresses = consent.contact_addresses()
    recorder = (getattr(user, "email", "") or "").lower()
    if not [a for a in addresses if a.lower() != recorder]:
        raise ValidationError(
            {
                "contacts": _(
                    "Indiquez au moins une personne à prévenir, avec son adresse, autre que "
                    "vous-même : ce sont les proches ou les voisins qui recevront les alertes."
                )
            }
        )
    consent.full_clean()
    consent.save()
    consent.viewers.set([user, *viewers, *named_accounts(addresses)])
    return consent


def named_accounts(addresses: list[str]):
    """The active accounts whose e-mail is one of the contacts': the people named see the
    watch and its alerts in Mutualis too."""
    from django.contrib.auth import get_user_model

    if not addresses:
        return []
    query = Q()
    for address in addresses:
        query |= Q(email__iexact=address)
    return list(get_user_model().objects.filter(query, is_active=True))


@transaction.atomic
def consent_withdraw(*, consent: MonitoringConsent, user) -> MonitoringConsent:
    """The watch stops now; its alerts are deleted, and so are the person's name and the
    contacts. What remains: that a consent was given, on which date, and withdrawn by whom."""
    if consent.withdrawn_at is not None:
        raise ValidationError(_("Ce consentement est déjà retiré."))
    Alert.objects.filter(sensor=consent.sensor, cause=Cause.INACTIVITY).delete()
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = user
    consent.person = _("(effacé au retrait)")
    consent.contacts = ""
    consent.save()
    consent.viewers.clear()
    return consent


def purge_expired(*, now: dt.datetime) -> int:
    """Resolved inactivity alerts older than their consent's retention are deleted."""
    deleted = 0
    for consent in MonitoringConsent.objects.all():
        limit = now - dt.timedelta(days=consent.retention_days)
        deleted += Alert.objects.filter(
            sensor=consent.sensor,
            cause=Cause.INACTIVITY,
            status=AlertStatus.RESOLVED,
            resolved_at__lt=limit,
        ).delete()[0]
    return deleted
