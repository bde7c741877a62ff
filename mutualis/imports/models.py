"""Import jobs: an uploaded file, its processing on the job queue and its report."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mutualis.core.models import TimeStampedModel
from mutualis.core.tabular import ImportReport


class ImportKind(models.TextChoices):
    MEMBERS = "members", _("Collectivités (communes, EPCI, départements)")
    ESTABLISHMENTS = "establishments", _("Établissements publics")
    MEMBERSHIPS = "memberships", _("Adhésions")
    SUBSCRIPTIONS = "subscriptions", _("Souscriptions aux services")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("En attente")
    RUNNING = "running", _("En cours")
    SUCCEEDED = "succeeded", _("Terminé")
    FAILED = "failed", _("Échoué")


class JobPhase(models.TextChoices):
    READING = "reading", _("Lecture du fichier")
    VALIDATING = "validating", _("Vérification des lignes")
    APPLYING = "applying", _("Enregistrement")


class ImportJobQuerySet(models.QuerySet):
    def without_content(self):
        """The stored file can weigh 10 MB: lists and status pages never load it."""
        return self.defer("content")


class ImportJob(TimeStampedModel):
    kind = models.CharField(_("type de données"), max_length=20, choices=ImportKind.choices)
    file_name = models.CharField(_("fichier"), max_length=255)
    content = models.BinaryField(_("contenu du fichier"), editable=False)
    status = models.CharField(
        _("statut"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    phase = models.CharField(_("étape"), max_length=10, choices=JobPhase.choices, blank=True)
    rows_total = models.PositiveIntegerField(_("lignes à traiter"), default=0)
    rows_done = models.PositiveIntegerField(_("lignes traitées"), default=0)
    report = models.JSONField(_("compte rendu"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("déposé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_jobs",
    )
    task_id = models.CharField(_("identifiant de la tâche"), max_length=64, blank=True)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["-created_at"], name="importjob_created")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.file_name}"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)

    @property
    def import_report(self) -> ImportReport:
        return ImportReport.from_dict(self.report)

    @property
    def progress_percent(self) -> int:
        if not self.rows_total:
            return 0
        return min(100, round(100 * self.rows_done / self.rows_total))
