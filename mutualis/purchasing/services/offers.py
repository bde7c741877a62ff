"""Offers per lot (supplier, unit price, tiers, criteria scores), criteria, award."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from mutualis.governance.services import operator_decision
from mutualis.purchasing.models import (
    Campaign,
    CampaignStatus,
    Criterion,
    Lot,
    Offer,
    OfferScore,
    OfferTier,
    Supplier,
)
from mutualis.purchasing.savings import price_for_quantity
from mutualis.purchasing.selectors import best_offer_id


def lot_aggregated_quantity(lot: Lot) -> Decimal:
    """The sum of the participating members' needs for the lot (withdrawals remove theirs)."""
    return lot.needs.aggregate(total=Sum("quantity"))["total"] or Decimal(0)


def _require_offers_open(campaign: Campaign) -> None:
    if campaign.status != CampaignStatus.OFFERS:
        raise ValidationError(_("La campagne n'est pas en phase de consultation."))


@transaction.atomic
def criterion_create(*, campaign: Campaign, name: str, weight: int) -> Criterion:
    if campaign.status not in (CampaignStatus.DRAFT, CampaignStatus.NEEDS, CampaignStatus.OFFERS):
        raise ValidationError(_("Les critères ne changent plus après l'attribution."))
    criterion = Criterion(campaign=campaign, name=name, weight=weight)
    criterion.full_clean()
    criterion.save()
    return criterion


@transaction.atomic
def supplier_get_or_create(*, name: str, siren: str) -> Supplier:
    supplier = Supplier.objects.filter(siren=siren).first()
    if supplier is not None:
        return supplier
    supplier = Supplier(name=name, siren=siren)
    supplier.full_clean()
    supplier.save()
    return supplier


@transaction.atomic
def offer_set(
    *,
    lot: Lot,
    supplier_name: str,
    supplier_siren: str,
    unit_price: Decimal,
    tiers: list[tuple[Decimal, Decimal]] = (),
    scores: dict[Criterion, Decimal] | None = None,
    received_on: dt.date | None = None,
    note: str = "",
) -> Offer:
    """Records the supplier's offer on the lot, or replaces it (tiers and scores included)."""
    _require_offers_open(lot.campaign)
    thresholds = [threshold for threshold, _price in tiers]
    if len(set(thresholds)) != len(thresholds) or any(t <= 0 for t in thresholds):
        raise ValidationError(
            {"tiers": _("Chaque palier a un seuil positif, différent des autres.")}
        )
    if any(price < 0 for _threshold, price in tiers):
        raise ValidationError({"tiers": _("Un prix ne peut pas être négatif.")})
    supplier = supplier_get_or_create(name=supplier_name, siren=supplier_siren)
    offer = Offer.objects.filter(lot=lot, supplier=supplier).first() or Offer(
        lot=lot, supplier=supplier
    )
    offer.unit_price = unit_price
    offer.received_on = received_on
    offer.note = note
    offer.full_clean(validate_unique=False, validate_constraints=False)
    offer.save()
    offer.tiers.all().delete()
    OfferTier.objects.bulk_create(
        [OfferTier(offer=offer, min_quantity=t, unit_price=p) for t, p in sorted(tiers)]
    )
    offer.scores.all().delete()
    for criterion, score in (scores or {}).items():
        if criterion.campaign_id != lot.campaign_id:
            raise ValidationError(_("Ce critère n'appartient pas à la campagne."))
        if score is None:
            continue
        row = OfferScore(offer=offer, criterion=criterion, score=score)
        row.full_clean(validate_unique=False, validate_constraints=False)
        row.save()
    return offer


@transaction.atomic
def offer_delete(*, offer: Offer) -> None:
    """Removes an offer entered by mistake, while the lot is not awarded."""
    _require_offers_open(offer.lot.campaign)
    if offer.lot.awarded_offer_id is not None:
        raise ValidationError(
            _("Le lot est attribué : ses offres ne peuvent plus être supprimées.")
        )
    offer.delete()


@transaction.atomic
def lot_award(
    *,
    lot: Lot,
    offer: Offer,
    decision_body: str,
    decision_number: str,
    decision_date: dt.date,
    decision_subject: str = "",
    justification: str = "",
) -> Lot:
    """Awards the lot to the offer, approved by the operator's délibération. The awarded
    unit price is the offer's tier for the group's aggregated quantity, fixed now.
    Choosing another offer than the best-ranked one needs a written justification."""
    given = lot
    lot = Lot.objects.select_for_update().select_related("campaign").get(pk=lot.pk)
    _require_offers_open(lot.campaign)
    if offer.lot_id != lot.pk:
        raise ValidationError(_("Cette offre ne porte pas sur ce lot."))
    justification = justification.strip()
    if offer.pk != best_offer_id(lot) and not justification:
        raise ValidationError(
            {"justification": _("Cette offre n'est pas la mieux classée : justifiez ce choix.")}
        )
    decision = operator_decision(
        body=decision_body,
        number=decision_number,
        date=decision_date,
        subject=decision_subject
        or _("Attribution du lot %(lot)s — %(campaign)s") % {"lot": lot, "campaign": lot.campaign},
    )
    offer = Offer.objects.prefetch_related("tiers").get(pk=offer.pk)
    lot.awarded_offer = offer
    lot.awarded_unit_price = price_for_quantity(offer.tier_prices(), lot_aggregated_quantity(lot))
    lot.award_decision = decision
    lot.award_justification = justification
    lot.save(
        update_fields=[
            "awarded_offer",
            "awarded_unit_price",
            "award_decision",
            "award_justification",
            "updated_at",
        ]
    )
    given.awarded_offer = lot.awarded_offer
    given.awarded_unit_price = lot.awarded_unit_price
    given.award_decision = decision
    given.award_justification = justification
    return given
