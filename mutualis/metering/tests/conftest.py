import datetime as dt

import pytest

from mutualis.catalog.models import Unit
from mutualis.catalog.tests.factories import ServiceFactory, SubscriptionFactory
from mutualis.core.tests.factories import UserFactory
from mutualis.members.tests.factories import MemberFactory


@pytest.fixture
def accountant(db):
    return UserFactory(accountant=True)


@pytest.fixture
def usage_world(db):
    member = MemberFactory()
    other = MemberFactory()
    backup = ServiceFactory(code="sauvegarde", unit=Unit.GIGABYTE)
    SubscriptionFactory(member=member, service=backup, start_date=dt.date(2026, 3, 1))
    return {"member": member, "other": other, "backup": backup}


def csv_file(rows: list[list[str]]) -> bytes:
    header = "membre;service;periode;quantite;unite"
    return ("\n".join([header, *(";".join(row) for row in rows)]) + "\n").encode()
