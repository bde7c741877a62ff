"""Typed readers of environment variables that fail loudly on a bad value."""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"The environment variable {name} is required.")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is neither true nor false.")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from exc


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = env_str(name, default).strip().lower()
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} is not one of {', '.join(choices)}.")
    return value


def env_header(name: str, default: str = "") -> str:
    """An HTTP header name such as X-Forwarded-For (empty: none)."""
    value = env_str(name, default).strip()
    if value and not all(c.isascii() and (c.isalnum() or c == "-") for c in value):
        raise ImproperlyConfigured(f"{name}={value!r} is not an HTTP header name.")
    return value


def env_networks(name: str) -> list:
    """Addresses or networks (192.0.2.10, 10.0.0.0/8), separated by commas."""
    import ipaddress

    try:
        return [ipaddress.ip_network(v, strict=False) for v in env_list(name, [])]
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}: {exc}") from exc


def env_webhooks(name: str) -> dict[str, tuple[str, str]]:
    """Network servers posting uplinks by HTTP: `name=kind:token` pairs separated by commas
    (kind: chirpstack or tts; a token of 24 characters at least)."""
    webhooks = {}
    for item in env_list(name, []):
        server, _, rest = item.partition("=")
        kind, _, token = rest.partition(":")
        server, kind, token = server.strip(), kind.strip().lower(), token.strip()
        if not server or kind not in ("chirpstack", "tts") or len(token) < 24:
            raise ImproperlyConfigured(
                f"{name}: {server or item!r} must read name=chirpstack:token or name=tts:token, "
                "with a token of 24 characters at least."
            )
        webhooks[server] = (kind, token)
    return webhooks
