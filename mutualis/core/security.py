"""The client's address behind a reverse proxy, and counters that limit how often an address
or an account may try something (password reset links). Login lockout itself is django-axes'
(settings AXES_*), fed with the same address."""

import hashlib
import ipaddress

from django.conf import settings
from django.core.cache import cache


def header_meta_key(header: str) -> str:
    """`X-Forwarded-For` → `HTTP_X_FORWARDED_FOR`, as Django stores it in request.META."""
    return "HTTP_" + header.strip().upper().replace("-", "_")


def _is_trusted(address: str) -> bool:
    networks = settings.TRUSTED_PROXY_NETWORKS
    if not networks:
        return True  # the proxy is the only way in
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The address of the person at the other end.

    Without CLIENT_IP_HEADER, the connection's own address (REMOTE_ADDR). With it, the
    address that the reverse proxy wrote in that header: in a list (X-Forwarded-For), the
    one TRUSTED_PROXY_COUNT places from the right, since each proxy appends the address it
    saw and anything to the left may be forged by the client. The header is believed only
    from TRUSTED_PROXY_IPS when that list is set.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    header = settings.CLIENT_IP_HEADER
    if not header or not _is_trusted(remote):
        return _valid(remote) or remote
    values = [v for v in request.META.get(header_meta_key(header), "").split(",") if v.strip()]
    if not values:
        return _valid(remote) or remote
    chosen = (
        values[-settings.TRUSTED_PROXY_COUNT]
        if len(values) >= settings.TRUSTED_PROXY_COUNT
        else values[0]
    )
    return _valid(chosen) or _valid(remote) or remote


def over_limit(kind: str, value: str, limit: int, period_seconds: int = 3600) -> bool:
    """Counts one attempt of `kind` by `value` (an address, an email) and says whether the
    count over the period is now above `limit`. Values are stored hashed."""
    digest = hashlib.sha256(f"{kind}:{value.strip().lower()}".encode()).hexdigest()
    key = f"limit:{kind}:{digest}"
    cache.add(key, 0, timeout=period_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period_seconds)
        count = 1
    return count > limit
