"""ProConnect's configuration: the client (from the environment) and the provider's endpoints
(from its discovery document, fetched once and kept for an hour).

ProConnect is off unless PROCONNECT_ISSUER, PROCONNECT_CLIENT_ID and PROCONNECT_CLIENT_SECRET
are all set: then the login page shows its button.
"""

import threading
import time
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DISCOVERY_TTL_SECONDS = 3600
_cache: dict[str, tuple[float, dict]] = {}
_lock = threading.Lock()


def enabled() -> bool:
    return bool(
        settings.PROCONNECT_ISSUER
        and settings.PROCONNECT_CLIENT_ID
        and settings.PROCONNECT_CLIENT_SECRET
    )


def issuer() -> str:
    return settings.PROCONNECT_ISSUER.rstrip("/")


def origin() -> str:
    """scheme://host[:port] of the provider (the page's form-action must allow it: logout)."""
    parts = urlsplit(issuer())
    return f"{parts.scheme}://{parts.netloc}"


def discovery() -> dict:
    """The provider's /.well-known/openid-configuration, checked against the issuer."""
    if not enabled():
        raise ImproperlyConfigured("ProConnect is not configured (PROCONNECT_ISSUER…).")
    url = f"{issuer()}/.well-known/openid-configuration"
    with _lock:
        cached = _cache.get(url)
        if cached and time.monotonic() - cached[0] < DISCOVERY_TTL_SECONDS:
            return cached[1]
    response = requests.get(url, timeout=settings.PROCONNECT_TIMEOUT)
    response.raise_for_status()
    document = response.json()
    if document.get("issuer", "").rstrip("/") != issuer():
        raise ImproperlyConfigured(
            f"ProConnect discovery at {url} names issuer {document.get('issuer')!r}."
        )
    with _lock:
        _cache[url] = (time.monotonic(), document)
    return document


def forget_discovery() -> None:
    with _lock:
        _cache.clear()


# mozilla-django-oidc's settings, read from ProConnect's configuration.
def oidc_setting(name: str):
    if name == "OIDC_RP_CLIENT_ID":
        return settings.PROCONNECT_CLIENT_ID
    if name == "OIDC_RP_CLIENT_SECRET":
        return settings.PROCONNECT_CLIENT_SECRET
    if name == "OIDC_RP_SCOPES":
        return settings.PROCONNECT_SCOPES
    endpoint = {
        "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
        "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
        "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
        "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
        "OIDC_OP_LOGOUT_ENDPOINT": "end_session_endpoint",
    }.get(name)
    if endpoint is None:
        raise KeyError(name)
    return discovery()[endpoint]


def acr_values() -> str:
    return settings.PROCONNECT_ACR_VALUES
