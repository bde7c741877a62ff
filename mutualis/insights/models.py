"""The references of the savings that are not a catalogue price: what a day of the shared
technician would cost the member as its own part-time hire."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mutualis.core.jobs import Job


class SavingsReference(models.Model):
    """One row (pk 1), edited by the operator: the cost of one day of an IT technician hired
    by a collectivité alone (salary, charges, tools, recruitment, spread over worked days)."""

    SINGLETON_PK = 1

    staff_day_cost_cents = models.BigIntegerField(
        _("coût d'une journée de technicien recruté seul (centimes)"), default=0
    )
    staff_day_cost_source = models.TextField(
        _("source du coût d'une journée"),
        blank=True,
        help_text=_("D'où vient ce coût : grille indiciaire, charges, calcul détaillé…"),
    )
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("références des économies")
        verbose_name_plural = _("références des économies")
        constraints = [
            models.CheckConstraint(
                condition=Q(staff_day_cost_cents__gte=0), name="savings_day_cost_not_negative"
            )
        ]

    def __str__(self) -> str:
        return str(_("Références des économies"))


def savings_reference() -> SavingsReference:
    reference, _created = SavingsReference.objects.get_or_create(pk=SavingsReference.SINGLETON_PK)
    return reference


class ReportBatch(Job):
    """Every member's one-page report of a year, built in the background into one ZIP."""

    task_path = "mutualis.insights.tasks.build_reports"

    year = models.PositiveSmallIntegerField(_("année"))
    archive = models.BinaryField(_("archive ZIP"), editable=False, default=bytes)
    report_count = models.PositiveIntegerField(_("rapports"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("rapports annuels des membres")
        verbose_name_plural = _("rapports annuels des membres")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"Rapports {self.year} (n° {self.pk})"
