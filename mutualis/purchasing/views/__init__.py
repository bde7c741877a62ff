"""Pages of grouped purchasing: operator pages by step, and the member portal."""

from mutualis.purchasing.views.campaigns import (
    campaign_create,
    campaign_detail,
    campaign_edit,
    campaign_invite,
    campaign_renew,
    campaign_status,
    criterion_add,
    index,
    lot_add,
    lot_edit,
)
from mutualis.purchasing.views.needs import (
    campaign_needs,
    needs_export,
    needs_member,
)
from mutualis.purchasing.views.offers import lot_award, lot_offers, offer_delete
from mutualis.purchasing.views.results import (
    campaign_fee,
    campaign_orders,
    campaign_results,
    results_export,
)

__all__ = [
    "campaign_create",
    "campaign_detail",
    "campaign_edit",
    "campaign_fee",
    "campaign_invite",
    "campaign_needs",
    "campaign_orders",
    "campaign_renew",
    "campaign_results",
    "campaign_status",
    "criterion_add",
    "index",
    "lot_add",
    "lot_award",
    "lot_edit",
    "lot_offers",
    "needs_export",
    "needs_member",
    "offer_delete",
    "results_export",
]
