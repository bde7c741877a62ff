import pytest

from mutualis.core.roles import OperatorRole
from mutualis.core.tests.browser import (  # noqa: F401 (fixtures)
    SHARED_BROWSER,
    browser,
    new_context,
    shared_browser,
)
from mutualis.core.tests.factories import UserFactory
from mutualis.members.tests.factories import AgentAccessFactory, MemberFactory


@pytest.fixture
def manager(db):
    return UserFactory(operator_role=OperatorRole.MANAGER)


@pytest.fixture
def reader(db):
    return UserFactory(operator_role=OperatorRole.READ_ONLY)


@pytest.fixture
def member(db):
    return MemberFactory(name="Saint-Médard")


@pytest.fixture
def agent(member):
    return AgentAccessFactory(member=member).user


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Closes the shared Chromium after the last browser test of a run (as core/tests does)."""
    try:
        return (yield)
    finally:
        if SHARED_BROWSER.running and (
            nextitem is None or nextitem.get_closest_marker("browser") is None
        ):
            SHARED_BROWSER.close()
