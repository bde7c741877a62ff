"""Members' needs per lot, and their orders during the contract."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mutualis.core.models import TimeStampedModel
from mutualis.members.access import MemberOwnedQuerySet
from mutualis.members.models import Member
from mutualis.purchasing.models.campaigns import Lot


class NeedSource(models.TextChoices):
    PORTAL = "portal", _("Saisie par le membre")
    OPERATOR = "operator", _("Saisie par l'opérateur")
    IMPORT = "import", _("Import")
    API = "api", _("API")


class Need(TimeStampedModel):
    """A member's estimated yearly quantity for a lot, with its going-alone unit price."""

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="needs")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="purchasing_needs")
    quantity = models.DecimalField(
        _("quantité annuelle estimée"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    current_unit_price = models.DecimalField(
        _("prix unitaire actuel"),
        max_digits=12,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Ce que le membre paie seul aujourd'hui, s'il le sait."),
    )
    source = models.CharField(_("origine"), max_length=10, choices=NeedSource.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = MemberOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("besoin")
        ordering = ["lot", "member__name"]
        constraints = [
            models.UniqueConstraint(fields=["lot", "member"], name="need_unique_lot_member"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="need_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.lot}: {self.quantity}"


class Order(TimeStampedModel):
    """An order placed by a member under its own contract, against an awarded lot."""

    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="orders")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="purchasing_orders")
    ordered_on = models.DateField(_("date de commande"))
    quantity = models.DecimalField(
        _("quantité"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    unit_price = models.DecimalField(_("prix unitaire"), max_digits=12, decimal_places=4)
    amount_cents = models.BigIntegerField(_("montant (centimes)"))
    reference = models.CharField(_("référence du bon de commande"), max_length=100, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = MemberOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("commande")
        ordering = ["-ordered_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="order_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.lot} — {self.quantity}"
