"""Suppliers' offers per lot, their price tiers and their scores on the other criteria."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mutualis.core.models import TimeStampedModel
from mutualis.members.access import visible_member_ids
from mutualis.purchasing.models.campaigns import Campaign, CampaignStatus, Lot
from mutualis.purchasing.siren import validate_siren_key

siren_validator = RegexValidator(r"^\d{9}$", _("Un SIREN a 9 chiffres."))


class Supplier(TimeStampedModel):
    name = models.CharField(_("raison sociale"), max_length=200)
    siren = models.CharField(
        _("SIREN"), max_length=9, unique=True, validators=[siren_validator, validate_siren_key]
    )

    class Meta:
        verbose_name = _("fournisseur")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Criterion(TimeStampedModel):
    """A criterion other than price (valeur technique, délais...), weighted."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("critère"), max_length=100)
    weight = models.PositiveSmallIntegerField(_("poids"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("critère")
        ordering = ["campaign", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="criterion_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight})"


class OfferQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Operator staff see every offer. Invited members see only the awarded offer of
        each lot, once the campaign is awarded: the other bids stay confidential (secret
        des affaires)."""
        ids = visible_member_ids(user)
        if ids is None:
            return self
        return self.filter(
            lot__campaign__in=Campaign.objects.visible_to(user),
            lot__campaign__status__in=[CampaignStatus.AWARDED, CampaignStatus.CLOSED],
            awarded_lot__isnull=False,
        )


class Offer(TimeStampedModel):
    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="offers")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="offers")
    unit_price = models.DecimalField(
        _("prix unitaire"),
        max_digits=12,
        decimal_places=4,
        validators=[MinValueValidator(0)],
        help_text=_("Prix de base, quand aucun palier ne s'applique."),
    )
    received_on = models.DateField(_("reçue le"), null=True, blank=True)
    note = models.CharField(_("commentaire"), max_length=300, blank=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("offre")
        ordering = ["lot", "unit_price", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["lot", "supplier"], name="offer_unique_supplier"),
        ]

    def __str__(self) -> str:
        return f"{self.supplier} — {self.lot}"

    def tier_prices(self) -> list[tuple[Decimal, Decimal]]:
        """(minimum quantity, unit price), the base price first; uses prefetched tiers."""
        return [(Decimal(0), self.unit_price)] + [
            (tier.min_quantity, tier.unit_price) for tier in self.tiers.all()
        ]


class OfferTier(models.Model):
    """From `min_quantity` (aggregated over the group) on, the whole quantity is at this price."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="tiers")
    min_quantity = models.DecimalField(
        _("à partir de"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    unit_price = models.DecimalField(
        _("prix unitaire"), max_digits=12, decimal_places=4, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("palier de prix")
        ordering = ["offer", "min_quantity"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "min_quantity"], name="tier_unique_min"),
            models.CheckConstraint(condition=Q(min_quantity__gt=0), name="tier_min_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.min_quantity} : {self.unit_price}"


class OfferScore(models.Model):
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    score = models.DecimalField(
        _("note sur 10"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )

    class Meta:
        ordering = ["offer", "criterion"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "criterion"], name="score_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id} : {self.score}"
