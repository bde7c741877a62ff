from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from mutualis.core.roles import OperatorRole


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        abstract = True


class User(AbstractUser):
    """A person: operator staff (with a role) or a member agent (without one)."""

    operator_role = models.CharField(
        _("rôle chez l'opérateur"),
        max_length=20,
        choices=OperatorRole.choices,
        blank=True,
        help_text=_("Vide pour un agent d'une collectivité membre."),
    )

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")

    @property
    def is_operator(self) -> bool:
        return bool(self.operator_role) and self.is_active

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class ScheduledRun(models.Model):
    """The last run of one recurring task."""

    name = models.CharField(_("tâche"), max_length=60, unique=True)
    started_at = models.DateTimeField(_("dernier lancement"), null=True, blank=True)
    finished_at = models.DateTimeField(_("dernière fin"), null=True, blank=True)
    ok = models.BooleanField(_("réussie"), null=True)
    message = models.TextField(_("compte rendu"), blank=True)

    class Meta:
        verbose_name = _("tâche périodique")
        verbose_name_plural = _("tâches périodiques")

    def __str__(self) -> str:
        return self.name
