"""Orders placed by members during the contract, against awarded lots."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from mutualis.members.models import Member
from mutualis.purchasing.models import CampaignStatus, Lot, Order
from mutualis.purchasing.savings import amount_cents
from mutualis.purchasing.templatetags.purchasing import format_decimal


@transaction.atomic
def order_create(
    *,
    lot: Lot,
    member: Member,
    ordered_on: dt.date,
    quantity: Decimal,
    reference: str = "",
    entered_by=None,
) -> Order:
    campaign = lot.campaign
    if campaign.status != CampaignStatus.AWARDED or lot.awarded_unit_price is None:
        raise ValidationError(_("On ne commande que sur un lot attribué d'un marché en cours."))
    if not campaign.invitations.participating().filter(member=member).exists():
        raise ValidationError(
            _("%(member)s ne participe pas à ce groupement.") % {"member": member.name}
        )
    if not campaign.contract_start <= ordered_on <= campaign.contract_end:
        raise ValidationError(
            {
                "ordered_on": _("La commande doit tomber entre le %(start)s et le %(end)s.")
                % {
                    "start": campaign.contract_start.strftime("%d/%m/%Y"),
                    "end": campaign.contract_end.strftime("%d/%m/%Y"),
                }
            }
        )
    if quantity is None or quantity <= 0:
        raise ValidationError({"quantity": _("La quantité doit être positive.")})
    _check_maximum(lot, quantity)
    order = Order(
        lot=lot,
        member=member,
        ordered_on=ordered_on,
        quantity=quantity,
        unit_price=lot.awarded_unit_price,
        amount_cents=amount_cents(quantity, lot.awarded_unit_price),
        reference=reference,
        entered_by=entered_by,
    )
    order.full_clean()
    order.save()
    return order


def _check_maximum(lot: Lot, quantity: Decimal) -> None:
    """Refuses an order that would take the lot past its maximum quantity. The lot row is
    locked so that two concurrent orders cannot both pass the check."""
    maximum = Lot.objects.select_for_update().values_list("max_quantity", flat=True).get(pk=lot.pk)
    if maximum is None:
        return
    ordered = Order.objects.filter(lot_id=lot.pk).aggregate(total=Sum("quantity"))["total"]
    remaining = max(maximum - (ordered or Decimal(0)), Decimal(0))
    if quantity > remaining:
        raise ValidationError(
            {
                "quantity": _(
                    "Cette commande dépasserait la quantité maximale du lot "
                    "(%(maximum)s, unité : %(unit)s) : il reste %(remaining)s à commander."
                )
                % {
                    "maximum": format_decimal(maximum),
                    "remaining": format_decimal(remaining),
                    "unit": lot.unit,
                }
            }
        )
