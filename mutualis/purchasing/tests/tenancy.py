from mutualis.purchasing.models import Campaign, Lot, Need, Offer, Order
from mutualis.purchasing.tests.factories import OrderFactory, awarded_campaign_for


def _campaign(a):
    return Campaign.objects.filter(invitations__member=a).order_by(
        "pk"
    ).first() or awarded_campaign_for(a)


def _lot(a):
    return _campaign(a).lots.order_by("pk").first()


def _order(a):
    lot = _lot(a)
    return lot.orders.filter(member=a).first() or OrderFactory(lot=lot, member=a)


builders = {
    Campaign: _campaign,
    Lot: _lot,
    Need: lambda a: _lot(a).needs.get(member=a),
    Offer: lambda a: _lot(a).offers.order_by("pk").first(),
    Order: _order,
}
