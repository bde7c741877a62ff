from decimal import Decimal

import factory

from mutualis.catalog.tests.factories import ServiceFactory
from mutualis.members.tests.factories import MemberFactory
from mutualis.metering.models import Period, UsageRecord


class UsageRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UsageRecord

    member = factory.SubFactory(MemberFactory)
    service = factory.SubFactory(ServiceFactory)
    period = Period.MONTH
    year = 2026
    month = 1
    quantity = Decimal("10")
