import datetime as dt
from decimal import Decimal

import factory

from mutualis.members.tests.factories import MemberFactory
from mutualis.purchasing.models import (
    Campaign,
    CampaignStatus,
    Criterion,
    Invitation,
    Lot,
    Need,
    NeedSource,
    Offer,
    OfferTier,
    Order,
    Supplier,
)
from mutualis.purchasing.siren import siren_is_valid


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"Téléphonie mobile {n}")
    status = CampaignStatus.NEEDS
    needs_deadline = dt.date(2026, 3, 31)
    offers_deadline = dt.date(2026, 5, 15)
    award_date = dt.date(2026, 6, 15)
    contract_start = dt.date(2026, 9, 1)
    contract_end = dt.date(2029, 8, 31)
    agreement_reference = factory.Sequence(lambda n: f"GC-2026-{n:02d}")

    class Params:
        awarded = factory.Trait(status=CampaignStatus.AWARDED)
        draft = factory.Trait(status=CampaignStatus.DRAFT)
        offers = factory.Trait(status=CampaignStatus.OFFERS)


class LotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lot

    campaign = factory.SubFactory(CampaignFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Forfaits mobiles {n}")
    unit = "forfait mensuel"
    reference_unit_price = Decimal("25.00")


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    campaign = factory.SubFactory(CampaignFactory)
    member = factory.SubFactory(MemberFactory)

    class Params:
        answered = factory.Trait(
            answered_at=factory.LazyFunction(lambda: dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC))
        )


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    lot = factory.SubFactory(LotFactory)
    member = factory.SubFactory(MemberFactory)
    quantity = Decimal("10")
    source = NeedSource.PORTAL


def siren_with_key(first_eight: str) -> str:
    """The valid SIREN (Luhn key) starting with these 8 digits."""
    return next(siren for digit in "0123456789" if siren_is_valid(siren := first_eight + digit))


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier
        django_get_or_create = ("siren",)

    name = factory.Sequence(lambda n: f"Opérateur Télécom {n}")
    siren = factory.Sequence(lambda n: siren_with_key(f"{40000000 + n}"))


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    lot = factory.SubFactory(LotFactory)
    supplier = factory.SubFactory(SupplierFactory)
    unit_price = Decimal("5.00")


class OfferTierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfferTier

    offer = factory.SubFactory(OfferFactory)
    min_quantity = Decimal("100")
    unit_price = Decimal("4.00")


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    campaign = factory.SubFactory(CampaignFactory)
    name = factory.Sequence(lambda n: f"Valeur technique {n}")
    weight = 40


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    lot = factory.SubFactory(LotFactory)
    member = factory.SubFactory(MemberFactory)
    ordered_on = dt.date(2026, 10, 1)
    quantity = Decimal("2")
    unit_price = Decimal("5.00")
    amount_cents = 1000


def awarded_campaign_for(member, **kwargs):
    """An awarded campaign where `member` participates: a lot, its need, an awarded offer,
    an order."""
    campaign = CampaignFactory(awarded=True, **kwargs)
    InvitationFactory(campaign=campaign, member=member, answered=True)
    lot = LotFactory(campaign=campaign)
    NeedFactory(lot=lot, member=member, current_unit_price=Decimal("25.00"))
    offer = OfferFactory(lot=lot)
    lot.awarded_offer = offer
    lot.awarded_unit_price = offer.unit_price
    lot.save()
    return campaign
