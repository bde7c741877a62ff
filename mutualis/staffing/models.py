"""Shared staff (informaticien mutualisé): technicians, agreements with members (conventions de
mise à disposition), planning (placement rules and planned days), absences and the work log."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext_lazy as _

from mutualis.catalog.models import Service
from mutualis.core.models import TimeStampedModel
from mutualis.members.access import MemberOwnedQuerySet
from mutualis.members.models import Decision, Member
from mutualis.staffing import calendar as cal
from mutualis.staffing.formatting import format_days


class Half(models.TextChoices):
    FULL = cal.FULL, _("Journée")
    MORNING = cal.MORNING, _("Matin")
    AFTERNOON = cal.AFTERNOON, _("Après-midi")


class Frequency(models.TextChoices):
    WEEKLY = cal.WEEKLY, _("Chaque semaine")
    BIWEEKLY = cal.BIWEEKLY, _("Une semaine sur deux")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Lundi")
    TUESDAY = 1, _("Mardi")
    WEDNESDAY = 2, _("Mercredi")
    THURSDAY = 3, _("Jeudi")
    FRIDAY = 4, _("Vendredi")


class AgreementPer(models.TextChoices):
    WEEK = "week", _("par semaine")
    MONTH = "month", _("par mois")
    YEAR = "year", _("par an")


class BillingBasis(models.TextChoices):
    WORKED = "worked", _("Jours travaillés")
    AGREED = "agreed", _("Jours conventionnés")


class ContestResolution(models.TextChoices):
    """How the operator settles a day the member contested."""

    ACCEPTED = "accepted", _("Contestation acceptée : journée annulée")
    CHANGED = "changed", _("Journée corrigée")
    REJECTED = "rejected", _("Contestation rejetée : journée maintenue")


class AbsenceKind(models.TextChoices):
    LEAVE = "leave", _("Congé")
    TRAINING = "training", _("Formation")
    SICK = "sick", _("Maladie")


class TaskCategory(models.TextChoices):
    WORKSTATION = "workstation", _("Postes de travail")
    NETWORK = "network", _("Réseau")
    SECURITY = "security", _("Sécurité")
    SOFTWARE = "software", _("Logiciels")
    TRAINING = "training", _("Formation des agents")
    PURCHASE = "purchase", _("Conseil à l'achat")


# The days a half-day row counts, for aggregates in the database.
DAYS = Case(
    When(half=cal.FULL, then=Value(Decimal("1.0"))),
    default=Value(Decimal("0.5")),
    output_field=models.DecimalField(max_digits=6, decimal_places=1),
)


class Technician(TimeStampedModel):
    """An operator staff member placed part-time on members."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utilisateur"),
        on_delete=models.PROTECT,
        related_name="technician",
    )
    home_base = models.CharField(_("résidence administrative"), max_length=200, blank=True)
    working_weekdays = models.JSONField(
        _("jours travaillés"),
        default=list,
        help_text=_("Jours de la semaine travaillés (0 = lundi … 4 = vendredi)."),
    )
    active = models.BooleanField(_("en poste"), default=True)

    class Meta:
        verbose_name = _("technicien")
        ordering = ["user__last_name", "user__first_name", "pk"]

    def __str__(self) -> str:
        return str(self.user)

    def weekday_labels(self) -> list[str]:
        labels = dict(Weekday.choices)
        return [str(labels[d]) for d in sorted(self.working_weekdays) if d in labels]


class StaffingAgreement(TimeStampedModel):
    """A convention de mise à disposition: so many days per week, month or year over a period."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="staffing_agreements")
    service = models.ForeignKey(
        Service,
        verbose_name=_("service facturé"),
        on_delete=models.PROTECT,
        related_name="staffing_agreements",
    )
    reference = models.CharField(_("référence"), max_length=100, unique=True)
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("délibération"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staffing_agreements",
    )
    days = models.DecimalField(
        _("nombre de jours"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    per = models.CharField(_("par"), max_length=10, choices=AgreementPer.choices)
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"), null=True, blank=True)
    billing_basis = models.CharField(
        _("base de facturation"),
        max_length=10,
        choices=BillingBasis.choices,
        default=BillingBasis.WORKED,
    )
    technicians = models.ManyToManyField(
        Technician, verbose_name=_("techniciens affectés"), related_name="agreements"
    )

    objects = MemberOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("convention de mise à disposition")
        verbose_name_plural = _("conventions de mise à disposition")
        ordering = ["member__name", "-start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="staffing_agreement_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.member}"

    @property
    def quota_label(self) -> str:
        return f"{format_days(self.days)} j {self.get_per_display()}"


class Placement(TimeStampedModel):
    """A recurring rule: a technician at a member every (other) given weekday over dates."""

    agreement = models.ForeignKey(
        StaffingAgreement, on_delete=models.CASCADE, related_name="placements"
    )
    technician = models.ForeignKey(Technician, on_delete=models.PROTECT, related_name="placements")
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday.choices)
    frequency = models.CharField(_("fréquence"), max_length=10, choices=Frequency.choices)
    half = models.CharField(_("durée"), max_length=4, choices=Half.choices, default=Half.FULL)
    start_date = models.DateField(_("du"))
    end_date = models.DateField(_("au"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("règle de placement")
        ordering = ["start_date", "pk"]


class PlannedDay(TimeStampedModel):
    """A day or half-day a technician is planned at a member: from a placement or one-off."""

    technician = models.ForeignKey(
        Technician, on_delete=models.PROTECT, related_name="planned_days"
    )
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="planned_days")
    agreement = models.ForeignKey(
        StaffingAgreement, on_delete=models.CASCADE, related_name="planned_days"
    )
    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, null=True, blank=True, related_name="planned_days"
    )
    date = models.DateField(_("date"))
    half = models.CharField(_("durée"), max_length=4, choices=Half.choices, default=Half.FULL)
    note = models.CharField(_("objet"), max_length=300, blank=True)

    objects = MemberOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("journée planifiée")
        verbose_name_plural = _("journées planifiées")
        ordering = ["date", "half", "pk"]
        indexes = [
            models.Index(fields=["technician", "date"]),
            models.Index(fields=["member", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.technician} — {self.member} — {self.date:%d/%m/%Y}"

    @property
    def is_one_off(self) -> bool:
        return self.placement_id is None


class Absence(TimeStampedModel):
    technician = models.ForeignKey(Technician, on_delete=models.CASCADE, related_name="absences")
    kind = models.CharField(_("motif"), max_length=10, choices=AbsenceKind.choices)
    start_date = models.DateField(_("du"))
    end_date = models.DateField(_("au"))
    note = models.CharField(_("commentaire"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("absence")
        ordering = ["start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="absence_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.technician} — {self.get_kind_display()}"


class WorkLogQuerySet(MemberOwnedQuerySet):
    """A logged day counts (as worked) unless the operator accepted its contest; it is billed
    unless, besides, its contest is still open (contested, neither settled nor signed off)."""

    def open_contests(self):
        return self.filter(
            contested_at__isnull=False, contest_resolution="", acknowledged_at__isnull=True
        )

    def counted(self):
        return self.exclude(contest_resolution=ContestResolution.ACCEPTED)

    def billable(self):
        return self.counted().exclude(
            contested_at__isnull=False, contest_resolution="", acknowledged_at__isnull=True
        )


class WorkLogEntry(TimeStampedModel):
    """What a technician did at a member on a day or half-day."""

    technician = models.ForeignKey(Technician, on_delete=models.PROTECT, related_name="work_log")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="staffing_work_log")
    agreement = models.ForeignKey(
        StaffingAgreement, on_delete=models.PROTECT, related_name="work_log"
    )
    date = models.DateField(_("date"))
    half = models.CharField(_("durée"), max_length=4, choices=Half.choices, default=Half.FULL)
    category = models.CharField(_("catégorie"), max_length=20, choices=TaskCategory.choices)
    tasks = models.TextField(_("travaux réalisés"))
    support_reference = models.CharField(_("demande d'assistance liée"), max_length=100, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("visé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("visé le"), null=True, blank=True)
    contested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contesté par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    contested_at = models.DateTimeField(_("contesté le"), null=True, blank=True)
    contested_reason = models.CharField(_("motif de la contestation"), max_length=300, blank=True)
    contest_resolution = models.CharField(
        _("suite donnée à la contestation"),
        max_length=10,
        choices=ContestResolution.choices,
        blank=True,
    )
    contest_resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contestation tranchée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    contest_resolved_at = models.DateTimeField(_("contestation tranchée le"), null=True, blank=True)
    contest_resolution_note = models.CharField(
        _("motif de la décision"), max_length=300, blank=True
    )
    # The duration as logged, when the operator corrected it on a contest.
    half_before_change = models.CharField(
        _("durée saisie à l'origine"), max_length=4, choices=Half.choices, blank=True
    )

    objects = WorkLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("entrée du journal d'intervention")
        verbose_name_plural = _("journal d'intervention")
        ordering = ["-date", "half", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["technician", "date", "half"], name="work_log_one_per_half_day"
            ),
        ]
        indexes = [models.Index(fields=["member", "date"])]

    def __str__(self) -> str:
        return f"{self.technician} — {self.member} — {self.date:%d/%m/%Y}"

    @property
    def days(self) -> Decimal:
        return cal.days_of(self.half)

    @property
    def contest_open(self) -> bool:
        return bool(self.contested_at and not self.contest_resolution and not self.acknowledged_at)

    @property
    def cancelled(self) -> bool:
        return self.contest_resolution == ContestResolution.ACCEPTED
