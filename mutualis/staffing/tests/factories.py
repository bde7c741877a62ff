import datetime as dt
from decimal import Decimal

import factory

from mutualis.catalog.models import Category, Unit
from mutualis.catalog.tests.factories import ServiceFactory
from mutualis.core.roles import OperatorRole
from mutualis.core.tests.factories import UserFactory
from mutualis.members.tests.factories import EpciMemberFactory
from mutualis.staffing.models import (
    Absence,
    AbsenceKind,
    AgreementPer,
    BillingBasis,
    Half,
    PlannedDay,
    StaffingAgreement,
    TaskCategory,
    Technician,
    WorkLogEntry,
)


class StaffingServiceFactory(ServiceFactory):
    code = factory.Sequence(lambda n: f"informaticien-{n}")
    name = "Informaticien mutualisé"
    category = Category.SUPPORT
    unit = Unit.DAY


class TechnicianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Technician

    user = factory.SubFactory(UserFactory, operator_role=OperatorRole.TECHNICIAN)
    home_base = "Langon"
    working_weekdays = factory.LazyFunction(lambda: [0, 1, 2, 3, 4])


class StaffingAgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffingAgreement
        skip_postgeneration_save = True

    member = factory.SubFactory(EpciMemberFactory)
    service = factory.SubFactory(StaffingServiceFactory)
    reference = factory.Sequence(lambda n: f"MAD-2026-{n:03d}")
    days = Decimal("2")
    per = AgreementPer.WEEK
    start_date = dt.date(2026, 1, 1)
    end_date = dt.date(2026, 12, 31)
    billing_basis = BillingBasis.WORKED

    @factory.post_generation
    def technicians(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.technicians.set(extracted)


class PlannedDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlannedDay

    agreement = factory.SubFactory(StaffingAgreementFactory)
    member = factory.SelfAttribute("agreement.member")
    technician = factory.SubFactory(TechnicianFactory)
    date = dt.date(2026, 9, 8)
    half = Half.FULL


class AbsenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Absence

    technician = factory.SubFactory(TechnicianFactory)
    kind = AbsenceKind.LEAVE
    start_date = dt.date(2026, 8, 10)
    end_date = dt.date(2026, 8, 21)


class WorkLogEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkLogEntry

    agreement = factory.SubFactory(StaffingAgreementFactory)
    member = factory.SelfAttribute("agreement.member")
    technician = factory.SubFactory(TechnicianFactory)
    date = dt.date(2026, 9, 8)
    half = Half.FULL
    category = TaskCategory.WORKSTATION
    tasks = "Installation de deux postes au service urbanisme."
    logged_by = factory.SelfAttribute("technician.user")
