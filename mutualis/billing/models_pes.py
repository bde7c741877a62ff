"""What was sent to the comptable public, and as whom: imported by models.py.

- IdentitySnapshot: the operator's identity and treasury details frozen when titres are issued,
  so that an avis always prints what the titre said (a later change of the settings does not
  rewrite issued titres). One row per distinct content, shared by the titres issued with it.
- PesTransmission: a PES file prepared for Hélios (its bytes, their SHA-256, who, when, its
  bordereaux or rôles); downloading it again gives the same bytes.
- PesTransmittedDocument: which transmission carried each document (once only), and for a
  rôle ORMC its rôle number and article number.
- PesPreparation: preparing a file is a background job (mutualis.core.jobs): the titres it
  takes (a run's, or a year's), and once done the PesTransmission it recorded.

« Transmis » in the code's names means « carried by a prepared file »: what the users read says
« préparé », since preparing and downloading a file is not depositing it on Hélios.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mutualis.core.jobs import Job


class IdentitySnapshot(models.Model):
    fingerprint = models.CharField(max_length=64, unique=True, editable=False)
    data = models.JSONField(editable=False)
    logo = models.BinaryField(default=bytes, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("identité figée de l'émetteur")
        verbose_name_plural = _("identités figées de l'émetteur")

    def __str__(self) -> str:
        return f"{self.data.get('name', '')} ({self.created_at:%d/%m/%Y})"


class PesTransmission(models.Model):
    mode = models.CharField(_("mode"), max_length=7)
    file_name = models.CharField(_("fichier"), max_length=120)
    content = models.BinaryField(editable=False)
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("taille (octets)"))
    bordereaux = models.JSONField(
        _("bordereaux"), default=list, help_text=_("[exercice, type, numéro] de chacun.")
    )
    document_count = models.PositiveIntegerField(_("documents"))
    total_cents = models.BigIntegerField(_("montant (centimes)"))
    created_at = models.DateTimeField(_("préparé le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("préparé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    deposited_on = models.DateField(
        _("déposé sur Hélios le"),
        null=True,
        blank=True,
        help_text=_("Dit par l'opérateur : Mutualis ne dépose rien lui-même."),
    )
    deposited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dépôt noté par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("fichier PES préparé")
        verbose_name_plural = _("fichiers PES préparés")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name


class PesTransmittedDocument(models.Model):
    transmission = models.ForeignKey(
        PesTransmission, on_delete=models.PROTECT, related_name="documents"
    )
    invoice = models.OneToOneField(
        "billing.Invoice", on_delete=models.PROTECT, related_name="transmitted"
    )
    role_year = models.PositiveSmallIntegerField(null=True, blank=True)
    role_number = models.PositiveIntegerField(null=True, blank=True)
    article = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["role_year", "role_number", "article"], name="pes_role_article_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.transmission_id} : {self.invoice_id}"


class PesPreparation(Job):
    """Preparing the PES file of a validated run's titres (`run`) or of a year's (`year`), in
    the background; a failed preparation records no file and takes no number."""

    task_path = "mutualis.billing.tasks.prepare_pes"

    run = models.ForeignKey(
        "billing.AllocationRun",
        verbose_name=_("calcul"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("exercice"), null=True, blank=True)
    transmission = models.OneToOneField(
        PesTransmission,
        verbose_name=_("fichier préparé"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="preparation",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("préparation d'un fichier PES")
        verbose_name_plural = _("préparations de fichiers PES")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(run__isnull=False) | models.Q(year__isnull=False),
                name="pes_preparation_has_scope",
            )
        ]

    def __str__(self) -> str:
        return str(_("Préparation n° %(n)s") % {"n": self.pk})
