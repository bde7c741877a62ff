import datetime as dt

import factory

from mutualis.core.tests.factories import UserFactory
from mutualis.members.models import (
    AgentAccess,
    Decision,
    EstablishmentKind,
    Member,
    MemberKind,
    Membership,
)
from mutualis.territory.models import Commune, Departement, Epci, Region


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "75"
    name = "Nouvelle-Aquitaine"


class DepartementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Departement
        django_get_or_create = ("code",)

    code = "33"
    name = "Gironde"
    region = factory.SubFactory(RegionFactory)


class EpciFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Epci

    siren = factory.Sequence(lambda n: f"2433{n:05d}")
    name = factory.Sequence(lambda n: f"CC des Coteaux {n}")
    kind = "CC"
    population = 12000


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune

    # Outside real codes (tests name real ones such as 33063), within the 5 characters.
    insee_code = factory.Sequence(lambda n: f"9{n % 10000:04d}")
    siren = factory.Sequence(lambda n: f"2133{n:05d}")
    name = factory.Sequence(lambda n: f"Saint-Martin-{n}")
    population = 800
    departement = factory.SubFactory(DepartementFactory)
    epci = factory.SubFactory(EpciFactory)


class MemberFactory(factory.django.DjangoModelFactory):
    """A commune member with its territory row."""

    class Meta:
        model = Member

    kind = MemberKind.COMMUNE
    commune = factory.SubFactory(CommuneFactory)
    name = factory.LazyAttribute(lambda m: m.commune.name)
    siren = factory.LazyAttribute(lambda m: m.commune.siren)
    insee_code = factory.LazyAttribute(lambda m: m.commune.insee_code)
    population = factory.LazyAttribute(lambda m: m.commune.population)
    epci = factory.LazyAttribute(lambda m: m.commune.epci)
    departement = factory.LazyAttribute(lambda m: m.commune.departement)


class EpciMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    kind = MemberKind.EPCI
    territory_epci = factory.SubFactory(EpciFactory)
    name = factory.LazyAttribute(lambda m: m.territory_epci.name)
    siren = factory.LazyAttribute(lambda m: m.territory_epci.siren)
    population = factory.LazyAttribute(lambda m: m.territory_epci.population)
    epci = factory.LazyAttribute(lambda m: m.territory_epci)
    departement = factory.SubFactory(DepartementFactory)


class EstablishmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    kind = MemberKind.ESTABLISHMENT
    establishment_kind = EstablishmentKind.CCAS
    parent = factory.SubFactory(MemberFactory)
    name = factory.LazyAttribute(lambda m: f"CCAS de {m.parent.name}")
    epci = factory.LazyAttribute(lambda m: m.parent.epci)
    departement = factory.LazyAttribute(lambda m: m.parent.departement)


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    member = factory.SubFactory(MemberFactory)
    body = "Conseil municipal"
    number = factory.Sequence(lambda n: f"2024-{n:03d}")
    date = dt.date(2024, 1, 15)
    subject = "Adhésion"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    member = factory.SubFactory(MemberFactory)
    start_date = dt.date(2024, 1, 1)
    decision = factory.SubFactory(DecisionFactory, member=factory.SelfAttribute("..member"))


class AgentAccessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgentAccess

    user = factory.SubFactory(UserFactory)
    member = factory.SubFactory(MemberFactory)
