"""Tariffs in the database, allocation runs and their charge lines, invoices (titres de recettes).

Money is integer cents everywhere. Issued invoices are never edited: corrections are reduction
or cancellation documents referencing the original (see services/invoices.py), and titres
complémentaires issued when a later run corrects the validated one (services/corrections.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mutualis.catalog.models import Service
from mutualis.core.jobs import Job, JobStatus
from mutualis.core.models import TimeStampedModel
from mutualis.members.access import MemberOwnedQuerySet
from mutualis.members.models import Decision, Member


class TariffStatus(models.TextChoices):
    DRAFT = "draft", _("Projet")
    ADOPTED = "adopted", _("Adopté")
    SUPERSEDED = "superseded", _("Remplacé")


class TariffQuerySet(models.QuerySet):
    def adopted(self):
        return self.filter(status=TariffStatus.ADOPTED)

    def readable_by(self, user):
        """Operator staff read every version; member agents read the adopted ones."""
        from mutualis.core.roles import Capability, has_capability

        if has_capability(user, Capability.VIEW_ALL):
            return self
        return self.filter(status__in=[TariffStatus.ADOPTED, TariffStatus.SUPERSEDED])


class Tariff(TimeStampedModel):
    """One version of the tariff of a service for a year: its TOML text (docs/tariffs.md)."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="tariffs")
    year = models.PositiveSmallIntegerField(_("année"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    text = models.TextField(_("tarif (TOML)"))
    note = models.CharField(_("commentaire"), max_length=300, blank=True)
    status = models.CharField(
        _("statut"), max_length=12, choices=TariffStatus.choices, default=TariffStatus.DRAFT
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("délibération d'adoption"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tariffs",
    )
    adopted_at = models.DateTimeField(_("adopté le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = TariffQuerySet.as_manager()

    class Meta:
        verbose_name = _("tarif")
        ordering = ["-year", "service__name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "year", "version"], name="tariff_unique_version"
            ),
            models.UniqueConstraint(
                fields=["service", "year"],
                condition=Q(status="adopted"),
                name="tariff_one_adopted_per_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.year} v{self.version}"

    @property
    def source(self) -> str:
        return f"{self.service.code}-{self.year}-v{self.version}"

    @property
    def is_editable(self) -> bool:
        return self.status == TariffStatus.DRAFT


class RunStatus(models.TextChoices):
    """A job's states (mutualis.core.jobs.JobStatus) with « computed » for done, then
    « validated », and « superseded » once a later run of the year is validated as its
    correction (services/corrections.py)."""

    QUEUED = JobStatus.QUEUED.value, JobStatus.QUEUED.label
    RUNNING = JobStatus.RUNNING.value, JobStatus.RUNNING.label
    COMPUTED = "computed", _("Calculé")
    FAILED = JobStatus.FAILED.value, JobStatus.FAILED.label
    VALIDATED = "validated", _("Validé")
    SUPERSEDED = "superseded", _("Remplacé par une correction")


class AllocationRunQuerySet(models.QuerySet):
    def readable_by(self, user):
        from mutualis.core.roles import Capability, has_capability

        if has_capability(user, Capability.VIEW_ALL):
            return self
        return self.filter(status=RunStatus.VALIDATED)


class AllocationRun(Job):
    """The charges of a year for every service with an adopted tariff, and their inputs.

    The inputs are kept as a snapshot (Arrow IPC frames) with their fingerprint, and the tariff
    versions used are linked: re-running a stored run gives the same lines. A run is a job
    (mutualis.core.jobs) whose « done » state is « computed », later « validated ».
    """

    task_path = "mutualis.billing.tasks.compute_run"
    done_status = RunStatus.COMPUTED

    year = models.PositiveSmallIntegerField(_("année"))
    status = models.CharField(
        _("statut"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    fingerprint = models.CharField(_("empreinte des données"), max_length=64, blank=True)
    fingerprint_version = models.PositiveSmallIntegerField(
        _("version de l'empreinte"),
        default=2,
        editable=False,
        help_text=_(
            "1 : les données triées et écrites en JSON (calculs anciens) ; 2 : les colonnes "
            "du moteur."
        ),
    )
    members_snapshot = models.BinaryField(editable=False, default=bytes)
    subscriptions_snapshot = models.BinaryField(editable=False, default=bytes)
    usage_snapshot = models.BinaryField(editable=False, default=bytes)
    total_cents = models.BigIntegerField(_("total facturé (centimes)"), default=0)
    line_count = models.PositiveIntegerField(_("lignes"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    validated_at = models.DateTimeField(_("validé le"), null=True, blank=True)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("calcul corrigé"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        help_text=_("Le calcul validé que ce calcul a remplacé en le corrigeant."),
    )
    correction_reason = models.CharField(_("motif de la correction"), max_length=300, blank=True)
    correction_decision = models.ForeignKey(
        Decision,
        verbose_name=_("délibération de la correction"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = AllocationRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("calcul des participations")
        verbose_name_plural = _("calculs des participations")
        ordering = ["-year", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["year"], condition=Q(status="validated"), name="run_one_validated_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"Calcul n° {self.pk} ({self.year})"


class RunService(models.Model):
    """One service of a run: the tariff version used and the balance of the service."""

    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="services")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    tariff = models.ForeignKey(Tariff, on_delete=models.PROTECT, related_name="run_services")
    rule = models.CharField(max_length=20)
    net_cost_cents = models.BigIntegerField(null=True, blank=True)
    subsidies_cents = models.BigIntegerField(default=0)
    charged_cents = models.BigIntegerField(default=0)
    unallocated_cents = models.BigIntegerField(default=0)
    line_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["service__name"]
        constraints = [
            models.UniqueConstraint(fields=["run", "service"], name="run_service_unique")
        ]

    def __str__(self) -> str:
        return f"{self.run} — {self.service}"


class ChargeLineQuerySet(models.QuerySet):
    def operator_billed(self):
        """Lines the operator bills (re-billing lines of an EPCI excluded)."""
        return self.filter(issuer__isnull=True)

    def visible_to(self, user):
        from mutualis.members.access import visible_member_ids

        ids = visible_member_ids(user)
        return self if ids is None else self.filter(Q(member_id__in=ids) | Q(payer_id__in=ids))


class ChargeLine(models.Model):
    """A participation: what `member` consumed of `service` and what `payer` owes for it."""

    # No index of its own: (run, payer) below serves every lookup by run (one index fewer to
    # maintain for each of the 1.3 M lines of a national run).
    run = models.ForeignKey(
        AllocationRun, on_delete=models.CASCADE, related_name="lines", db_index=False
    )
    # The other references are checked by the ORM (PROTECT: a service or member with lines
    # cannot be deleted), not by a database constraint: PostgreSQL checks a foreign key row
    # by row at commit, and four of them on the 1.3 M lines of a national run cost more than
    # the whole run (4.6 s per 100,000 lines measured here). The lines are only ever written
    # by a run from members and services read in its own transaction.
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    payer = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    issuer = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    rule = models.CharField(max_length=20)
    quantity = models.DecimalField(max_digits=15, decimal_places=3, default=0)
    amount_cents = models.BigIntegerField()
    explanation = models.TextField(blank=True)

    objects = ChargeLineQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["run", "payer"]),
            models.Index(fields=["run", "member"]),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.service}"


class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", _("Titre de recettes")
    REDUCTION = "reduction", _("Réduction")
    CANCELLATION = "cancellation", _("Annulation")
    COMPLEMENTARY = "complementary", _("Titre complémentaire")


# A titre complémentaire is a titre: numbered in the titres' series, without gaps.
SERIES_BY_KIND = {
    InvoiceKind.INVOICE: "T",
    InvoiceKind.COMPLEMENTARY: "T",
    InvoiceKind.REDUCTION: "R",
    InvoiceKind.CANCELLATION: "R",
}


class ImmutableError(Exception):
    """An issued document cannot be changed or deleted: issue a correction instead."""


class InvoiceQuerySet(MemberOwnedQuerySet):
    def update(self, **kwargs):
        raise ImmutableError("issued invoices are never updated")

    def delete(self):
        raise ImmutableError("issued invoices are never deleted")


class Invoice(TimeStampedModel):
    """A titre de recettes (or a correction of one) issued to a payer; immutable once saved."""

    member = models.ForeignKey(
        Member, verbose_name=_("payeur"), on_delete=models.PROTECT, related_name="invoices"
    )
    run = models.ForeignKey(
        AllocationRun, on_delete=models.PROTECT, null=True, blank=True, related_name="invoices"
    )
    kind = models.CharField(
        _("nature"), max_length=15, choices=InvoiceKind.choices, default=InvoiceKind.INVOICE
    )
    original = models.ForeignKey(
        "self",
        verbose_name=_("titre corrigé"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    year = models.PositiveSmallIntegerField(_("exercice"))
    series = models.CharField(_("série"), max_length=5)
    number = models.PositiveIntegerField(_("numéro d'ordre"))
    bordereau = models.PositiveIntegerField(
        _("bordereau"),
        null=True,
        blank=True,
        help_text=_(
            "Numéro, dans l'exercice, du bordereau de titres sur lequel le titre est émis."
        ),
    )
    issued_on = models.DateField(_("émis le"))
    due_on = models.DateField(_("à payer avant le"))
    total_cents = models.BigIntegerField(_("montant (centimes)"))
    reason = models.CharField(_("motif"), max_length=300, blank=True)
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("délibération"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
        help_text=_("La délibération qui fonde un titre complémentaire ou une réduction."),
    )
    payer_name = models.CharField(_("nom du payeur"), max_length=200)
    payer_siren = models.CharField(_("SIREN du payeur"), max_length=9, blank=True)
    payer_address = models.TextField(_("adresse du payeur"), blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    frozen_identity = models.ForeignKey(
        "billing.IdentitySnapshot",
        verbose_name=_("identité de l'émetteur à l'émission"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
        help_text=_(
            "L'identité de l'opérateur telle qu'elle était à l'émission : l'avis l'imprime "
            "toujours (vide pour les titres émis avant qu'elle soit figée : l'identité du jour)."
        ),
    )

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("titre de recettes")
        verbose_name_plural = _("titres de recettes")
        ordering = ["-year", "series", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "series", "number"], name="invoice_unique_number"
            ),
            models.UniqueConstraint(
                fields=["run", "member"],
                condition=Q(kind="invoice"),
                name="invoice_one_per_payer_and_run",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"{self.year}-{self.series}-{self.number:05d}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableError("issued invoices are never updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("issued invoices are never deleted")


class InvoiceLineQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableError("lines of an issued invoice are never updated")


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines")
    # Service and member: checked by the ORM, not by the database, as on ChargeLine (the
    # lines of the titres are copied from a run's charge lines in one statement).
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    label = models.CharField(_("libellé"), max_length=300)
    quantity = models.DecimalField(_("quantité"), max_digits=15, decimal_places=3, default=0)
    amount_cents = models.BigIntegerField(_("montant (centimes)"))
    explanation = models.TextField(_("explication"), blank=True)

    objects = InvoiceLineQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableError("lines of an issued invoice are never updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("lines of an issued invoice are never deleted")


class InvoiceCounter(models.Model):
    """The last number given in a year and series; locked (select_for_update) to number."""

    year = models.PositiveSmallIntegerField()
    series = models.CharField(max_length=5)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "series"], name="invoice_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.series} : {self.last_number}"


class PesMode(models.TextChoices):
    """How titres go to the comptable public (TypFic of the PES file)."""

    ORDINARY = "PESALR1", _("titres ordinaires (PESALR1)")
    ORMC = "PESORMC", _("rôle ORMC (PESORMC)")


class OperatorIdentity(models.Model):
    """The operator as creditor and ordonnateur: what the avis des sommes à payer and the PES
    file say about it. One row (pk 1), edited by the accountant in the app."""

    SINGLETON_PK = 1

    name = models.CharField(_("nom de l'opérateur"), max_length=200, blank=True)
    address = models.TextField(
        _("adresse"),
        blank=True,
        help_text=_("Une ligne par ligne d'adresse ; la dernière : code postal et commune."),
    )
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    logo = models.BinaryField(_("logo"), blank=True, default=bytes, editable=False)
    ordonnateur_name = models.CharField(_("nom de l'ordonnateur"), max_length=200, blank=True)
    ordonnateur_title = models.CharField(
        _("qualité de l'ordonnateur"),
        max_length=100,
        blank=True,
        help_text=_("Par exemple : Le Président."),
    )
    accountant_name = models.CharField(
        _("comptable public assignataire"),
        max_length=200,
        blank=True,
        help_text=_("Par exemple : Service de gestion comptable de Libourne."),
    )
    accountant_address = models.TextField(_("adresse du comptable public"), blank=True)
    iban = models.CharField(_("IBAN du compte au Trésor"), max_length=34, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    poste_code = models.CharField(
        _("code du poste comptable (codique)"),
        max_length=7,
        blank=True,
        help_text=_("6 ou 7 chiffres, donnés par le comptable (IdPost du PES)."),
    )
    poste_label = models.CharField(_("libellé du poste comptable"), max_length=38, blank=True)
    collectivity_code = models.CharField(
        _("code collectivité"), max_length=3, blank=True, help_text=_("3 chiffres (CodCol du PES).")
    )
    budget_code = models.CharField(
        _("code budget"),
        max_length=2,
        blank=True,
        help_text=_("2 caractères, par exemple 00 (CodBud du PES)."),
    )
    budget_label = models.CharField(_("libellé du budget"), max_length=38, blank=True)
    nature = models.CharField(
        _("imputation : compte de nature"),
        max_length=12,
        blank=True,
        help_text=_("Compte de recette des participations, par exemple 70848."),
    )
    chapter = models.CharField(
        _("chapitre"), max_length=10, blank=True, help_text=_("Par exemple 70.")
    )
    function = models.CharField(
        _("fonction"),
        max_length=10,
        blank=True,
        help_text=_("Seulement si le budget est voté par fonction (M57) ; sinon vide."),
    )
    product_code = models.CharField(
        _("code produit local"),
        max_length=4,
        blank=True,
        help_text=_(
            "Jusqu'à 4 lettres ou chiffres, convenus avec le comptable (CodProdLoc du PES)."
        ),
    )
    pes_mode = models.CharField(
        _("mode de transmission au comptable"),
        max_length=7,
        choices=PesMode.choices,
        default=PesMode.ORDINARY,
    )
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("identité de l'opérateur")
        verbose_name_plural = _("identité de l'opérateur")

    def __str__(self) -> str:
        return self.name or str(_("Identité de l'opérateur"))


# The frozen identities of issued titres and the PES files sent to the comptable.
from mutualis.billing.models_pes import (  # noqa: E402, F401
    IdentitySnapshot,
    PesPreparation,
    PesTransmission,
    PesTransmittedDocument,
)
