"""Guards for the whole suite: services, templates, CSRF; the Hypothesis profile."""

import os
import socket

import pytest

from mutualis.engine.tests import profiles

IN_CI = bool(os.environ.get("CI"))
profiles.load(os.environ)


def require_service(name: str, host: str, port: int) -> None:
    """Skip when a local service is missing; under CI a missing service fails the run."""
    try:
        socket.create_connection((host, port), timeout=2).close()
    except OSError as exc:
        message = f"{name} is not reachable on {host}:{port} ({exc})"
        if IN_CI:
            pytest.fail(f"CI is set and {message}.")
        pytest.skip(message)


@pytest.fixture(autouse=True, scope="session")
def _force_login_gives_the_second_factor():
    """`client.force_login(staff)` verifies the session with the user's device, so that the
    pages' tests need not type codes; enforcement is tested through the real login pages
    (mutualis/core/tests/test_two_factor.py), which this does not touch."""
    from django.test.client import ClientMixin

    from mutualis.core.tests.twofactor import verify_session

    original = ClientMixin.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        verify_session(self, user)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ClientMixin, "force_login", force_login)
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters (API throttling, password reset) start from zero in each test."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fail_on_unknown_template_variable(settings):
    """An unknown variable in a template is a bug, not an empty string."""
    for engine in settings.TEMPLATES:
        engine.setdefault("OPTIONS", {})["string_if_invalid"] = InvalidTemplateVariable("%s")


class InvalidTemplateVariable(str):
    def __mod__(self, other):
        raise AssertionError(f"Unknown template variable: {other!r}")
