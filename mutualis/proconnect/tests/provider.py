"""A real OpenID provider for the tests: tools/oidc-provider (npm oidc-provider, configured
like ProConnect), started with Node on 127.0.0.1, on a port free at the time (`free_port`), so
that parallel workers (pytest-xdist) and other runs on the machine never collide.

Without Node or the npm packages (`make install` installs them) the tests are skipped, and
under CI (CI set) they fail instead.
"""

import json
import os
import re
import shutil
import socket
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests

TOOL = Path(__file__).resolve().parents[3] / "tools" / "oidc-provider"
CLIENT_ID = "mutualis-test"
CLIENT_SECRET = "mutualis-test-secret-0123456789"
CALLBACK = "http://testserver/connexion/proconnect/retour/"
AFTER_LOGOUT = "http://testserver/connexion/"


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on now (the system picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def node_missing_reason() -> str | None:
    if shutil.which("node") is None:
        return "node is missing (Debian's nodejs): the ProConnect end-to-end tests need it"
    if not (TOOL / "node_modules" / "oidc-provider").is_dir():
        return f"the npm packages of {TOOL} are missing: run `make install`"
    return None


def require_node() -> None:
    reason = node_missing_reason()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI is set and {reason}.", pytrace=False)
    pytest.skip(reason)


@dataclass
class Provider:
    issuer: str
    port: int
    accounts: dict
    process: subprocess.Popen | None = None
    http: requests.Session = field(default_factory=requests.Session)
    redirect_uris: list[str] = field(default_factory=lambda: [CALLBACK])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Provider":
        config = {
            "issuer": self.issuer,
            "port": self.port,
            "kid": "proconnect-test-key",  # the same in every provider: only the keys differ
            "clients": [
                {
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "redirect_uris": self.redirect_uris,
                    "post_logout_redirect_uris": [AFTER_LOGOUT],
                }
            ],
            "accounts": self.accounts,
        }
        self.process = subprocess.Popen(
            ["node", "server.mjs", json.dumps(config)],
            cwd=TOOL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        line = self.process.stdout.readline()
        if not line.startswith("ready"):
            self.stop()
            raise RuntimeError(f"the OpenID provider did not start: {self.process.stderr.read()}")
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        if self.process is not None:
            self.process.stdout.close()
            self.process.stderr.close()

    def sign_in(self, authorize_url: str, login: str) -> str:
        """Follows the authorization request through the provider's login form (as the
        browser does), and returns the URL it sends the browser back to (our callback)."""
        self.http = requests.Session()
        response = self.http.get(authorize_url, allow_redirects=True, timeout=10)
        action = re.search(r'<form method="post" action="([^"]+)"', response.text)
        assert action, f"no login form: {response.status_code} {response.text[:300]}"
        url = urljoin(response.url, action.group(1))
        response = self.http.post(url, data={"login": login}, allow_redirects=False, timeout=10)
        for _hop in range(10):
            location = response.headers.get("Location", "")
            if location.startswith("http://testserver/"):
                return location
            assert response.is_redirect, f"{response.status_code}: {response.text[:300]}"
            response = self.http.get(urljoin(response.url, location), allow_redirects=False)
        raise AssertionError("the provider never sent the browser back")

    def end_session(self, url: str) -> str:
        """Opens the provider's end_session URL, confirms, returns where it sends back to."""
        response = self.http.get(url, timeout=10)
        assert response.status_code == 200, response.text[:300]
        form = re.search(r'<form[^>]*action="([^"]+)"', response.text)
        xsrf = re.search(r'name="xsrf" value="([^"]+)"', response.text)
        assert form and xsrf, response.text[:500]
        response = self.http.post(
            urljoin(response.url, form.group(1)),
            data={"xsrf": xsrf.group(1), "logout": "yes"},
            allow_redirects=False,
            timeout=10,
        )
        return response.headers["Location"]


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
