import pytest

from mutualis.core.tests.browser import (  # noqa: F401 (fixtures)
    SHARED_BROWSER,
    browser,
    new_context,
    shared_browser,
)


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
