import datetime as dt

import factory

from mutualis.billing.models import (
    AllocationRun,
    Invoice,
    InvoiceLine,
    RunStatus,
    Tariff,
    TariffStatus,
)
from mutualis.catalog.tests.factories import ServiceFactory
from mutualis.members.tests.factories import MemberFactory


def flat_tariff_text(code: str, year: int, amount: str = "100") -> str:
    return (
        f'service = "{code}"\nyear = {year}\n\n[[components]]\ntype = "flat"\namount = {amount}\n'
    )


class TariffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tariff

    service = factory.SubFactory(ServiceFactory)
    year = 2026
    version = 1
    text = factory.LazyAttribute(lambda t: flat_tariff_text(t.service.code, t.year))
    status = TariffStatus.DRAFT

    class Params:
        adopted = factory.Trait(status=TariffStatus.ADOPTED)


class AllocationRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AllocationRun

    year = 2026
    status = RunStatus.COMPUTED


class InvoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invoice
        skip_postgeneration_save = True

    member = factory.SubFactory(MemberFactory)
    year = 2026
    series = "T"
    number = factory.Sequence(lambda n: 90000 + n)
    issued_on = dt.date(2026, 11, 16)
    due_on = dt.date(2026, 12, 16)
    total_cents = 12345
    payer_name = factory.LazyAttribute(lambda i: i.member.name)
    payer_siren = factory.LazyAttribute(lambda i: i.member.siren)

    @factory.post_generation
    def with_line(obj, create, extracted, **kwargs):
        if create:
            InvoiceLine.objects.create(
                invoice=obj, label="Sauvegarde", amount_cents=obj.total_cents, explanation="forfait"
            )
