"""Factories of the imports' tests.

Members, services and users come from the apps that own them (re-exported here so that the
tests of this app import from one place); ImportJob is built here.
"""

import factory

from mutualis.catalog.tests.factories import ServiceFactory, SubscriptionFactory
from mutualis.core.jobs import JobStatus
from mutualis.core.roles import OperatorRole
from mutualis.core.tests.factories import UserFactory
from mutualis.imports.models import ImportJob, ImportKind
from mutualis.members.tests.factories import (
    CommuneFactory,
    DecisionFactory,
    DepartementFactory,
    EpciFactory,
    EpciMemberFactory,
    EstablishmentFactory,
    MemberFactory,
    MembershipFactory,
)


class OperatorFactory(UserFactory):
    operator_role = OperatorRole.MANAGER


class AgentFactory(UserFactory):
    """A member agent: no operator role."""

    operator_role = ""


class ImportJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportJob

    kind = ImportKind.MEMBERS
    file_name = factory.Sequence(lambda n: f"collectivites-{n}.csv")
    content = b"code;nom\r\n33063;Bordeaux\r\n"
    status = JobStatus.QUEUED
    created_by = factory.SubFactory(OperatorFactory)


__all__ = [
    "AgentFactory",
    "CommuneFactory",
    "DecisionFactory",
    "DepartementFactory",
    "EpciFactory",
    "EpciMemberFactory",
    "EstablishmentFactory",
    "ImportJobFactory",
    "MemberFactory",
    "MembershipFactory",
    "OperatorFactory",
    "ServiceFactory",
    "SubscriptionFactory",
]
