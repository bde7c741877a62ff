"""Import jobs: an uploaded file, its processing on the job queue and its report."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mutualis.core.jobs import Job
from mutualis.core.tabular import ImportReport


class ImportKind(models.TextChoices):
    MEMBERS = "members", _("Collectivités (communes, EPCI, départements)")
    ESTABLISHMENTS = "establishments", _("Établissements publics")
    MEMBERSHIPS = "memberships", _("Adhésions")
    SUBSCRIPTIONS = "subscriptions", _("Souscriptions aux services")
    USAGE = "usage", _("Consommations (relevés)")
    NEEDS = "needs", _("Besoins d'une campagne d'achats groupés")
    SENSORS = "sensors", _("Capteurs")
    TICKETS = "tickets", _("Demandes d'assistance")
    WEATHER = "weather", _("Météo quotidienne (fichiers Météo-France)")
    SCHOOL_HOLIDAYS = "school_holidays", _("Vacances scolaires (calendrier national)")
    HEATING_PROFILES = "heating_profiles", _("Profils de chauffage des bâtiments")
    METER_SECTORS = "meter_sectors", _("Secteurs des réseaux d'eau")


class ImportJobQuerySet(models.QuerySet):
    def without_content(self):
        """The stored file can weigh 10 MB: lists and status pages never load it."""
        return self.defer("content")


class ImportJob(Job):
    """A file imported on the job queue, with its row-level report."""

    task_path = "mutualis.imports.tasks.run_import_job"

    kind = models.CharField(_("type de données"), max_length=20, choices=ImportKind.choices)
    file_name = models.CharField(_("fichier"), max_length=255)
    content = models.BinaryField(_("contenu du fichier"), editable=False)
    options = models.JSONField(_("paramètres"), default=dict, blank=True)
    report = models.JSONField(_("compte rendu"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("déposé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_jobs",
    )
    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["-created_at"], name="importjob_created")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.file_name}"

    @property
    def import_report(self) -> ImportReport:
        return ImportReport.from_dict(self.report)
