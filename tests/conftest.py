import pytest
from django.db import transaction

from tests.tenancy_world import build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The tenancy world (tests/tenancy_world.py), built once per test module and rolled back
    after it; request `db` too, so that each test's writes are undone."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)
