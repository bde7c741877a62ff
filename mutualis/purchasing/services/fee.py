"""The optional coordination fee: usage of a catalogue service, billed by the tariff engine.

For the campaign's fee service, each participating member gets one yearly usage record:
- unit "euro d'achats": the euros of its orders placed in that year (members without orders
  that year get none);
- unit "forfait": 1.
The member is subscribed to the service from 1 January of the year when it is not already.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from mutualis.catalog.models import Subscription, Unit
from mutualis.catalog.services import subscription_create
from mutualis.metering.models import Period, UsageSource
from mutualis.metering.services import UsageReading, usage_record_set
from mutualis.purchasing.models import Campaign, Order


def fee_quantities(*, campaign: Campaign, year: int) -> dict[int, Decimal]:
    """member id -> quantity in the fee service's unit for that year."""
    service = campaign.fee_service
    if service is None:
        raise ValidationError(_("Cette campagne ne prévoit pas de frais de coordination."))
    participating = list(campaign.invitations.participating().values_list("member_id", flat=True))
    if service.unit == Unit.FLAT:
        return {member_id: Decimal(1) for member_id in participating}
    if service.unit != Unit.EURO:
        raise ValidationError(_("Le service des frais doit se compter en euros ou au forfait."))
    spent = (
        Order.objects.filter(
            lot__campaign=campaign, member_id__in=participating, ordered_on__year=year
        )
        .values("member_id")
        .annotate(cents=Sum("amount_cents"))
    )
    return {row["member_id"]: Decimal(row["cents"]) / 100 for row in spent if row["cents"]}


@transaction.atomic
def campaign_fee_record(*, campaign: Campaign, year: int, recorded_by=None) -> dict[str, int]:
    """Records the year's fee usage; idempotent (a new reading replaces the previous one)."""
    quantities = fee_quantities(campaign=campaign, year=year)
    service = campaign.fee_service
    start = dt.date(year, 1, 1)
    subscribed = set(
        Subscription.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=start),
            service=service,
            member_id__in=quantities,
            start_date__lte=dt.date(year, 12, 31),
        ).values_list("member_id", flat=True)
    )
    counts = {"created": 0, "replaced": 0, "unchanged": 0, "subscriptions": 0}
    for invitation in campaign.invitations.filter(member_id__in=quantities).select_related(
        "member"
    ):
        member = invitation.member
        if member.pk not in subscribed:
            subscription_create(member=member, service=service, start_date=start)
            counts["subscriptions"] += 1
        _record, outcome = usage_record_set(
            reading=UsageReading(
                member=member,
                service=service,
                period=Period.YEAR,
                year=year,
                month=1,
                quantity=quantities[member.pk],
            ),
            source=UsageSource.PURCHASING,
            recorded_by=recorded_by,
            note=_("Frais de coordination — %(campaign)s") % {"campaign": campaign.name},
        )
        counts[outcome] += 1
    return counts
