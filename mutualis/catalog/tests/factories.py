import datetime as dt

import factory

from mutualis.catalog.models import Category, Service, ServiceRequest, Subscription, Unit
from mutualis.core.tests.factories import UserFactory
from mutualis.members.tests.factories import MemberFactory


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    code = factory.Sequence(lambda n: f"service-{n}")
    name = factory.Sequence(lambda n: f"Sauvegarde externalisée {n}")
    description = "Sauvegarde quotidienne des postes et serveurs."
    category = Category.INFRASTRUCTURE
    unit = Unit.GIGABYTE


class SubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscription

    member = factory.SubFactory(MemberFactory)
    service = factory.SubFactory(ServiceFactory)
    start_date = dt.date(2024, 1, 1)


class ServiceRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceRequest

    member = factory.SubFactory(MemberFactory)
    service = factory.SubFactory(ServiceFactory)
    requested_by = factory.SubFactory(UserFactory)
    desired_start_date = dt.date(2025, 1, 1)
