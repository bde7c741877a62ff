"""Support tickets of the members (from GLPI or imported), the GLPI entities mapped to
members, the connection to GLPI and its synchronisations (background jobs)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mutualis.core.jobs import Job
from mutualis.members.access import MemberOwnedQuerySet


class TicketSource(models.TextChoices):
    GLPI = "glpi", _("GLPI")
    IMPORT = "import", _("Fichier importé")


class TicketStatus(models.TextChoices):
    """GLPI's statuses (1 to 6), the ones every helpdesk tool has in some form."""

    NEW = "new", _("Nouveau")
    ASSIGNED = "assigned", _("En cours (attribué)")
    PLANNED = "planned", _("En cours (planifié)")
    WAITING = "waiting", _("En attente")
    SOLVED = "solved", _("Résolu")
    CLOSED = "closed", _("Clos")


DONE_STATUSES = (TicketStatus.SOLVED, TicketStatus.CLOSED)


class SupportEntity(models.Model):
    """A GLPI entity (its complete name) and the member it stands for, set by the operator.
    An entity without a member keeps its tickets, counted apart as « non rattachés »."""

    name = models.CharField(_("entité GLPI"), max_length=255, unique=True)
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("membre"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_entities",
    )
    matched_automatically = models.BooleanField(_("rattachée d'après le nom"), default=False)
    first_seen_at = models.DateTimeField(_("vue la première fois le"), auto_now_add=True)

    class Meta:
        verbose_name = _("entité GLPI")
        verbose_name_plural = _("entités GLPI")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TicketQuerySet(MemberOwnedQuerySet):
    pass


class Ticket(models.Model):
    """One support request of a member, as its helpdesk tool knows it. Times are the tool's:
    `response_seconds` (taken into account) and `resolution_seconds` (solved)."""

    source = models.CharField(_("source"), max_length=10, choices=TicketSource.choices)
    external_id = models.CharField(_("numéro dans l'outil"), max_length=64)
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("membre"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tickets",
    )
    entity = models.ForeignKey(
        SupportEntity,
        verbose_name=_("entité GLPI"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
    )
    title = models.CharField(_("titre"), max_length=255)
    category = models.CharField(_("catégorie"), max_length=255, blank=True)
    status = models.CharField(_("statut"), max_length=10, choices=TicketStatus.choices)
    priority = models.PositiveSmallIntegerField(_("priorité"), null=True, blank=True)
    opened_at = models.DateTimeField(_("ouverte le"))
    first_response_at = models.DateTimeField(_("prise en compte le"), null=True, blank=True)
    solved_at = models.DateTimeField(_("résolue le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("close le"), null=True, blank=True)
    modified_at = models.DateTimeField(_("modifiée dans l'outil le"), null=True, blank=True)
    response_seconds = models.PositiveIntegerField(
        _("délai de prise en compte (s)"), null=True, blank=True
    )
    resolution_seconds = models.PositiveIntegerField(
        _("délai de résolution (s)"), null=True, blank=True
    )
    time_to_own = models.DateTimeField(_("échéance de prise en compte"), null=True, blank=True)
    time_to_resolve = models.DateTimeField(_("échéance de résolution"), null=True, blank=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = _("demande d'assistance")
        verbose_name_plural = _("demandes d'assistance")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="support_ticket_unique_per_source"
            )
        ]
        indexes = [
            models.Index(fields=["member", "opened_at"], name="support_ticket_member"),
            models.Index(fields=["opened_at"], name="support_ticket_opened"),
        ]

    def __str__(self) -> str:
        return f"{self.external_id} — {self.title}"

    @property
    def is_done(self) -> bool:
        return self.status in DONE_STATUSES


class GlpiConnection(models.Model):
    """One row (pk 1): where GLPI answers and with which tokens; empty fields fall back to
    the settings (SUPPORT_GLPI_URL, SUPPORT_GLPI_APP_TOKEN, SUPPORT_GLPI_USER_TOKEN)."""

    SINGLETON_PK = 1

    url = models.URLField(
        _("adresse de l'API GLPI"),
        blank=True,
        help_text=_("L'adresse de apirest.php, ex. https://assistance.exemple.fr/apirest.php"),
    )
    app_token = models.CharField(_("jeton d'application (App-Token)"), max_length=200, blank=True)
    user_token = models.CharField(_("jeton d'utilisateur (user_token)"), max_length=200, blank=True)
    synced_until = models.DateTimeField(
        _("modifications lues jusqu'au"), null=True, blank=True, editable=False
    )
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("connexion à GLPI")
        verbose_name_plural = _("connexion à GLPI")

    def __str__(self) -> str:
        return str(_("Connexion à GLPI"))

    @property
    def effective_url(self) -> str:
        return self.url or settings.SUPPORT_GLPI_URL

    @property
    def effective_app_token(self) -> str:
        return self.app_token or settings.SUPPORT_GLPI_APP_TOKEN

    @property
    def effective_user_token(self) -> str:
        return self.user_token or settings.SUPPORT_GLPI_USER_TOKEN

    @property
    def is_configured(self) -> bool:
        return bool(self.effective_url and self.effective_user_token)


def glpi_connection() -> GlpiConnection:
    """The connection (read only: an unsaved one until the operator sets it)."""
    stored = GlpiConnection.objects.filter(pk=GlpiConnection.SINGLETON_PK).first()
    return stored or GlpiConnection(pk=GlpiConnection.SINGLETON_PK)


class SyncTrigger(models.TextChoices):
    MANUAL = "manual", _("Lancée depuis la page")
    SCHEDULE = "schedule", _("Programmée")


class SupportSync(Job):
    """A synchronisation of the tickets modified in GLPI since the last one."""

    task_path = "mutualis.support.tasks.run_sync"

    trigger = models.CharField(
        _("déclenchement"), max_length=10, choices=SyncTrigger.choices, default=SyncTrigger.MANUAL
    )
    since = models.DateTimeField(_("modifications depuis le"), null=True, blank=True)
    tickets_created = models.PositiveIntegerField(_("demandes ajoutées"), default=0)
    tickets_updated = models.PositiveIntegerField(_("demandes mises à jour"), default=0)
    unmapped_entities = models.JSONField(_("entités non rattachées"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("synchronisation GLPI")
        verbose_name_plural = _("synchronisations GLPI")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Synchronisation GLPI n° {self.pk}"
