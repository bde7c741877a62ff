from mutualis.core.tests.browser import (  # noqa: F401 (fixtures)
    SHARED_BROWSER,
    browser,
    new_context,
    shared_browser,
)
