"""Metered usage (consommations, relevés): a quantity in the service's unit, for a member,
a service and a period (month, quarter or year)."""

import calendar
import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mutualis.catalog.models import Service
from mutualis.core.models import TimeStampedModel
from mutualis.members.access import MemberOwnedQuerySet
from mutualis.members.models import Member


class Period(models.TextChoices):
    MONTH = "month", _("Mois")
    QUARTER = "quarter", _("Trimestre")
    YEAR = "year", _("Année")


PERIOD_MONTHS = {Period.MONTH: 1, Period.QUARTER: 3, Period.YEAR: 12}


class UsageSource(models.TextChoices):
    MANUAL = "manual", _("Saisie")
    IMPORT = "import", _("Import")
    API = "api", _("API")
    STAFFING = "staffing", _("Informaticien mutualisé")
    PURCHASING = "purchasing", _("Achats groupés")


class UsageRecordQuerySet(MemberOwnedQuerySet):
    def for_year(self, year: int):
        return self.filter(year=year)


class UsageRecord(TimeStampedModel):
    """One reading. The same member, service and period hold one record: a new reading
    replaces the previous one."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="usage_records")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="usage_records")
    period = models.CharField(_("période"), max_length=10, choices=Period.choices)
    year = models.PositiveSmallIntegerField(_("année"))
    month = models.PositiveSmallIntegerField(
        _("premier mois"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    quantity = models.DecimalField(
        _("quantité"), max_digits=15, decimal_places=3, validators=[MinValueValidator(0)]
    )
    source = models.CharField(
        _("origine"), max_length=20, choices=UsageSource.choices, default=UsageSource.MANUAL
    )
    note = models.CharField(_("commentaire"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="usage_records",
    )

    objects = UsageRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("relevé de consommation")
        verbose_name_plural = _("relevés de consommation")
        ordering = ["year", "month", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "service", "period", "year", "month"],
                name="usage_record_one_per_period",
            ),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="usage_quantity_positive"),
        ]
        indexes = [
            models.Index(fields=["service", "year"]),
            # The API lists the newest readings first (api.py: -year, -month, pk): an index in
            # that order lets the database read the first page without sorting the table.
            models.Index(fields=["-year", "-month", "id"], name="usage_newest_first"),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.service} — {self.period_label}"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return period_last_day(self.period, self.year, self.month)

    @property
    def last_month(self) -> int:
        return self.month + PERIOD_MONTHS[self.period] - 1

    @property
    def period_label(self) -> str:
        return period_label(self.period, self.year, self.month)


def period_label(period: str, year: int, month: int) -> str:
    """``03/2026``, ``T1 2026`` or ``2026``."""
    if period == Period.YEAR:
        return str(year)
    if period == Period.QUARTER:
        return f"T{(month - 1) // 3 + 1} {year}"
    return f"{month:02d}/{year}"


def period_last_day(period: str, year: int, month: int) -> dt.date:
    last_month = month + PERIOD_MONTHS[period] - 1
    return dt.date(year, last_month, calendar.monthrange(year, last_month)[1])
