from mutualis.billing.tests.conftest import (  # noqa: F401 (fixtures shared with billing)
    issued_titres,
    world,
)
from mutualis.core.tests.browser import (  # noqa: F401 (fixtures of the accessibility tests)
    SHARED_BROWSER,
    browser,
    new_context,
    shared_browser,
)
