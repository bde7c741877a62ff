"""Browser fixtures for the tests of this folder (see browser.py)."""

import pytest

from mutualis.core.tests.browser import (  # noqa: F401 (fixtures)
    SHARED_BROWSER,
    browser,
    new_context,
    shared_browser,
)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Closes the shared Chromium once the run of browser tests ends.

    After the test's own teardown (pytest-django's flush needs Playwright's environment), and
    only when the next test is not a browser test: consecutive browser tests share one
    browser, and the tests after them run without Playwright's event loop in their thread.
    """
    try:
        return (yield)
    finally:
        if SHARED_BROWSER.running and (
            nextitem is None or nextitem.get_closest_marker("browser") is None
        ):
            SHARED_BROWSER.close()
