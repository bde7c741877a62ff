"""Grouped purchasing (groupement de commandes): campaigns, needs, offers, award, orders."""

from mutualis.purchasing.models.campaigns import (
    Campaign,
    CampaignStatus,
    Invitation,
    InvitationMode,
    Lot,
)
from mutualis.purchasing.models.needs import Need, NeedSource, Order
from mutualis.purchasing.models.offers import Criterion, Offer, OfferScore, OfferTier, Supplier

__all__ = [
    "Campaign",
    "CampaignStatus",
    "Criterion",
    "Invitation",
    "InvitationMode",
    "Lot",
    "Need",
    "NeedSource",
    "Offer",
    "OfferScore",
    "OfferTier",
    "Order",
    "Supplier",
]
