"""Headless Chromium for the accessibility tests: fixtures, axe-core check, browser login.

Debian's Chromium (/usr/bin/chromium, installed by scripts/ensure-chromium) is driven by
Playwright; Playwright's own browser download is never used. axe-core is vendored in
vendor/axe-core/: nothing is downloaded at test time.

The tests take pages from `role_page`, which opens a fresh browser context (one per role and
test: each transactional test flushes the database, sessions included, so a login does not
outlive its test) on the one Chromium shared by the session.
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.urls import reverse

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps calling home, and on a closed
# network every attempt is a refused connection.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SCRIPT = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("critical", "serious")
# A secrétaire de mairie's small laptop.
VIEWPORT = {"width": 1366, "height": 768}
TIMEOUT_MS = 15_000


def chromium_missing_reason() -> str | None:
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        return (
            f"{CHROMIUM} is missing: run `bash scripts/ensure-chromium` "
            "(as root it installs Debian's chromium package)"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is missing: install the [dev] extra"
    return None


def require_chromium() -> None:
    """Skip the browser tests without Chromium; under CI (CI set) fail them instead."""
    reason = chromium_missing_reason()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI is set and {reason}.", pytrace=False)
    pytest.skip(reason)


class SharedBrowser:
    """Playwright and one Chromium, started at first use and kept until `close()`.

    Why DJANGO_ALLOW_ASYNC_UNSAFE: Playwright's sync API runs an asyncio loop in the test
    thread and leaves it marked as running between calls, for as long as Playwright lives.
    Django's ORM then refuses any query from that thread (SynchronousOnlyOperation), and the
    queries are not only the test's own data set-up, which could be done before starting
    Playwright, but also pytest-django's flush after every transactional test, which happens
    while the shared browser lives. These queries are plain synchronous code that no coroutine
    runs, which is the case the variable exists for. It is set only while Playwright lives:
    `close()` restores it, and the conftest beside this file closes the browser as soon as the
    next test is not a browser test, so the rest of the suite keeps Django's guard, and no
    later test runs with an event loop marked as running in its thread.
    """

    ENV = "DJANGO_ALLOW_ASYNC_UNSAFE"

    def __init__(self) -> None:
        self._playwright = None
        self._browser = None
        self._saved_env: str | None = None

    @property
    def running(self) -> bool:
        return self._browser is not None

    def get(self):
        if self._browser is None:
            from playwright.sync_api import sync_playwright

            self._saved_env = os.environ.get(self.ENV)
            os.environ[self.ENV] = "true"
            self._playwright = sync_playwright().start()
            try:
                self._browser = self._playwright.chromium.launch(
                    executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
                )
            except Exception:
                self.close()
                raise
        return self._browser

    def close(self) -> None:
        try:
            if self._browser is not None:
                self._browser.close()
        finally:
            self._browser = None
            if self._playwright is not None:
                self._playwright.stop()
                self._playwright = None
                if self._saved_env is None:
                    os.environ.pop(self.ENV, None)
                else:
                    os.environ[self.ENV] = self._saved_env


SHARED_BROWSER = SharedBrowser()


@pytest.fixture(scope="session")
def shared_browser() -> Iterator[SharedBrowser]:
    """The session's browser holder; skips (or fails under CI) without Chromium."""
    require_chromium()
    yield SHARED_BROWSER
    SHARED_BROWSER.close()


@pytest.fixture
def browser(shared_browser: SharedBrowser):
    """The running Chromium (started on first use, shared by the session)."""
    return shared_browser.get()


@pytest.fixture
def new_context(browser, live_server) -> Iterator[Callable]:
    """Opens browser contexts on the live server; all are closed after the test.

    bypass_csp: the app sends `script-src 'self'`, which would block the injected axe script.
    """
    contexts = []

    def factory(**options):
        context = browser.new_context(
            base_url=live_server.url,
            bypass_csp=True,
            viewport=VIEWPORT,
            locale="fr-FR",
            timezone_id="Europe/Paris",
            **options,
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield factory
    for context in contexts:
        context.close()


def login(page, username: str, password: str) -> None:
    """Logs in through the real login form, as a person would, then types a recovery code
    when the account needs a second factor (core/twofactor.py)."""
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_static.models import StaticToken

    from mutualis.core.tests.twofactor import one_recovery_code
    from mutualis.core.twofactor import needs_second_factor

    user = get_user_model().objects.filter(username=username).first()
    code = None
    if user is not None and needs_second_factor(user):
        code = one_recovery_code(user, StaticToken.random_token())
    page.goto(reverse("login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    if page.url.split("?")[0].endswith(reverse("login")):
        errors = page.locator("[role=alert]").all_inner_texts()
        pytest.fail(f"Login as {username!r} failed: {' '.join(errors) or 'still on the form'}")
    if code is not None:
        page.fill("input[name=code]", code)
        with page.expect_navigation():
            page.click("main form button[type=submit]")


def run_axe(page) -> list[dict]:
    """Injects the vendored axe-core into the loaded page and returns its WCAG violations."""
    page.add_script_tag(path=str(AXE_SCRIPT))
    return page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {
                runOnly: {type: 'tag', values: tags},
                resultTypes: ['violations'],
            });
            return results.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                helpUrl: v.helpUrl,
                nodes: v.nodes.map((n) => ({
                    target: n.target.map((t) => Array.isArray(t) ? t.join(' >>> ') : t),
                    html: n.html,
                    summary: n.failureSummary,
                })),
            }));
        }""",
        WCAG_TAGS,
    )


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} serious or critical accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"    {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    at {', '.join(node['target'])}")
            lines.append(f"       {node['html'][:200]}")
            for detail in (node["summary"] or "").splitlines():
                lines.append(f"       | {detail}")
    return "\n".join(lines)


def check_accessibility(page, url: str) -> list[dict]:
    """Loads `url`, runs axe-core and fails on any serious or critical WCAG 2.1 AA violation.

    Returns the remaining (moderate or minor) violations, for a caller who wants them.
    """
    response = page.goto(url)
    assert response is not None, f"No response for {url}"
    assert response.status < 400, f"{url} answered {response.status}, not the page to check"
    violations = run_axe(page)
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        pytest.fail(format_violations(url, blocking), pytrace=False)
    return [v for v in violations if v["impact"] not in BLOCKING_IMPACTS]
