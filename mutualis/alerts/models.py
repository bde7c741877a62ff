"""Alerts raised by the detection rules, who handles them, and the consent of monitored homes.

One open alert per sensor and cause (a constraint): a rule that fires again updates it. An
alert is opened, acknowledged (who, when, note), resolved (who, when, note); escalated when
nobody acknowledged it in time. Maintenance windows suppress new alerts. The inactivity of a
monitored home is watched only under a recorded consent, and its alerts and consent are seen
only by the member's agents and the people the consent names.
"""

import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mutualis.core.jobs import Job
from mutualis.core.models import TimeStampedModel
from mutualis.core.roles import is_operator_staff
from mutualis.iot.models import Sensor
from mutualis.members.access import MemberOwnedQuerySet, visible_member_ids
from mutualis.members.models import Member

EMAIL = re.compile(r"[^\s<>,;:]+@[^\s<>,;:]+\.[^\s<>,;:]+")


class Cause(models.TextChoices):
    """What raised the alert: the names of the detection rules (mutualis.detection.RULES)."""

    CONTINUOUS_FLOW = "continuous_flow", _("Fuite : débit continu")
    NIGHT_FLOW = "night_flow", _("Fuite : débit de nuit anormal")
    DAILY_JUMP = "daily_jump", _("Fuite : saut de consommation journalière")
    NETWORK_BALANCE = "network_balance", _("Bilan de réseau : pertes")
    SILENCE = "silence", _("Capteur muet")
    INACTIVITY = "inactivity", _("Logement suivi : aucune consommation inhabituelle")
    HEATING_UNOCCUPIED = "heating_unoccupied", _("Chauffage : bâtiment inoccupé chauffé")
    HEATING_OUT_OF_LINE = "heating_out_of_line", _("Chauffage : hors de la droite météo")


class Severity(models.TextChoices):
    INFO = "info", _("Information")
    WARNING = "warning", _("Avertissement")
    CRITICAL = "critical", _("Critique")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Ouverte")
    ACKNOWLEDGED = "acknowledged", _("Prise en compte")
    RESOLVED = "resolved", _("Résolue")


def _named_consents(user):
    return MonitoringConsent.objects.filter(viewers=user, withdrawn_at__isnull=True)


class AlertQuerySet(MemberOwnedQuerySet):
    def visible_to(self, user):
        """The member's agents see their alerts. Operator staff see every alert but the
        inactivity of monitored homes, which only the people a consent names see (they see
        it whoever they are)."""
        visible = super().visible_to(user)
        if not getattr(user, "is_authenticated", False):
            return visible
        named = _named_consents(user).values("sensor")
        if is_operator_staff(user):
            return visible.exclude(Q(cause=Cause.INACTIVITY) & ~Q(sensor__in=named))
        # A person a consent names (a relative with an account) sees that home's alerts.
        return visible | self.filter(cause=Cause.INACTIVITY, sensor__in=named)

    def unresolved(self):
        return self.exclude(status=AlertStatus.RESOLVED)


class Alert(TimeStampedModel):
    member = models.ForeignKey(
        Member, verbose_name=_("membre"), on_delete=models.PROTECT, related_name="alerts"
    )
    sensor = models.ForeignKey(
        Sensor, verbose_name=_("capteur"), on_delete=models.CASCADE, related_name="alerts"
    )
    cause = models.CharField(_("cause"), max_length=30, choices=Cause.choices)
    severity = models.CharField(
        _("gravité"), max_length=10, choices=Severity.choices, default=Severity.WARNING
    )
    status = models.CharField(
        _("statut"), max_length=15, choices=AlertStatus.choices, default=AlertStatus.OPEN
    )
    opened_at = models.DateTimeField(_("ouverte le"))
    last_seen_at = models.DateTimeField(_("constatée pour la dernière fois le"))
    occurrences = models.PositiveIntegerField(_("constats"), default=1)
    measured = models.FloatField(_("écart mesuré"), default=0.0)
    window_start = models.DateTimeField(_("début de la série"))
    window_end = models.DateTimeField(_("fin de la série"))
    acknowledged_at = models.DateTimeField(_("prise en compte le"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_note = models.CharField(_("note de prise en compte"), max_length=500, blank=True)
    resolved_at = models.DateTimeField(_("résolue le"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_note = models.CharField(_("note de résolution"), max_length=500, blank=True)
    escalated_at = models.DateTimeField(_("escaladée le"), null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("alerte")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sensor", "cause"],
                condition=~Q(status="resolved"),
                name="alerts_one_unresolved_per_cause",
            )
        ]
        indexes = [models.Index(fields=["member", "status"])]

    def __str__(self) -> str:
        return f"{self.get_cause_display()} — {self.sensor}"

    @property
    def is_open(self) -> bool:
        return self.status == AlertStatus.OPEN


class MaintenanceWindow(TimeStampedModel):
    """While it lasts, no new alert is opened for the member's sensor (or all its sensors)."""

    member = models.ForeignKey(Member, verbose_name=_("membre"), on_delete=models.CASCADE)
    sensor = models.ForeignKey(
        Sensor,
        verbose_name=_("capteur"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text=_("Vide : tous les capteurs du membre."),
    )
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    note = models.CharField(_("motif"), max_length=300, blank=True)

    objects = MemberOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("fenêtre de maintenance")
        verbose_name_plural = _("fenêtres de maintenance")
        ordering = ["-starts_at"]


class OnCallContact(TimeStampedModel):
    """Who the member wants told of its alerts, by e-mail; escalation contacts too when an
    alert stays unacknowledged."""

    member = models.ForeignKey(
        Member, verbose_name=_("membre"), on_delete=models.CASCADE, related_name="on_call"
    )
    name = models.CharField(_("nom"), max_length=200)
    email = models.EmailField(_("adresse électronique"))
    escalation = models.BooleanField(_("reçoit les escalades"), default=False)
    active = models.BooleanField(_("actif"), default=True)

    objects = MemberOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact d'astreinte")
        verbose_name_plural = _("contacts d'astreinte")
        ordering = ["member", "name"]

    def __str__(self) -> str:
        return self.name


class ConsentQuerySet(MemberOwnedQuerySet):
    def visible_to(self, user):
        """The member's agents, and the people the consent names — never other staff."""
        if is_operator_staff(user):
            return self.filter(viewers=user)
        ids = visible_member_ids(user)
        return self.filter(Q(member__in=ids) | Q(viewers=user)).distinct()

    def active(self):
        return self.filter(withdrawn_at__isnull=True)


class MonitoringConsent(TimeStampedModel):
    """The recorded consent to watch a home's water meter for inactivity."""

    member = models.ForeignKey(
        Member, verbose_name=_("membre"), on_delete=models.PROTECT, related_name="consents"
    )
    sensor = models.ForeignKey(
        Sensor, verbose_name=_("compteur du logement"), on_delete=models.CASCADE
    )
    person = models.CharField(
        _("personne suivie"), max_length=200, help_text=_("Nom ou initiales, sans plus.")
    )
    given_by = models.CharField(
        _("consentement donné par"),
        max_length=200,
        help_text=_("La personne elle-même, ou son représentant légal."),
    )
    given_on = models.DateField(_("donné le"))
    purpose = models.CharField(
        _("finalité"),
        max_length=300,
        default=_("Prévenir les proches d'une absence inhabituelle de consommation d'eau."),
    )
    contacts = models.TextField(
        _("personnes à prévenir"),
        help_text=_(
            "Une par ligne : le nom puis l'adresse électronique, par exemple "
            "« Paul Dupont, paul.dupont@exemple.fr »."
        ),
    )
    retention_days = models.PositiveIntegerField(_("conservation des alertes (jours)"), default=90)
    viewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("comptes qui voient le suivi"),
        blank=True,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("retiré le"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consentement au suivi d'un logement")
        verbose_name_plural = _("consentements au suivi de logements")
        ordering = ["-given_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sensor"],
                condition=Q(withdrawn_at__isnull=True),
                name="alerts_one_active_consent_per_sensor",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.sensor}"

    def contact_addresses(self) -> list[str]:
        """The e-mail addresses written in ``contacts``, one line each."""
        return [m.group(0) for m in map(EMAIL.search, self.contacts.splitlines()) if m]


class DetectionRun(Job):
    """A pass of the detection rules over the stored readings (background job)."""

    task_path = "mutualis.alerts.tasks.run_detection"

    until = models.DateTimeField(_("jusqu'au"))
    days = models.PositiveSmallIntegerField(_("jours relus"), default=35)
    sensors_read = models.PositiveIntegerField(_("capteurs lus"), default=0)
    alerts_opened = models.PositiveIntegerField(_("alertes ouvertes"), default=0)
    alerts_updated = models.PositiveIntegerField(_("alertes mises à jour"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("passage de la détection")
        ordering = ["-created_at"]


from mutualis.alerts.models_energy import (  # noqa: E402  (models of the same app)
    DailyWeather,
    HeatingProfile,
    HolidayZone,
    MeterSector,
    SchoolHoliday,
    WeatherStation,
)

__all__ = [
    "Alert",
    "AlertStatus",
    "Cause",
    "DailyWeather",
    "DetectionRun",
    "HeatingProfile",
    "HolidayZone",
    "MaintenanceWindow",
    "MeterSector",
    "MonitoringConsent",
    "OnCallContact",
    "SchoolHoliday",
    "Severity",
    "WeatherStation",
]
