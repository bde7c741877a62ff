"""Second factor for operator staff (TOTP with django-otp, recovery codes).

Who needs it: staff whose role can issue titres (MANAGE_BILLING) or manage rights
(MANAGE_USERS), and anyone who enrolled a device (member agents may opt in). Until the
session is verified, `SecondFactorMiddleware` sends them to the second step of the login
(pages), or refuses the request (API with a session: 403). API tokens are not asked again:
`POST /api/v1/token/` gives a token to such a user only with a valid code (core/api_token.py),
so a token is already the proof of both factors; it is revoked like a session by deleting it.

A ProConnect login (mutualis/proconnect) is a first factor like a password: its `acr`
(eidas1…) says how sure the identity is, not that two factors were given. It counts as the
second factor only when the provider says so in the ID token's `amr` (it contains "mfa"):
then the session is marked (`PROVIDER_MFA_SESSION_KEY`) and no code is asked.
"""

import base64
import io
from urllib.parse import quote

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import devices_for_user, match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from mutualis.core.roles import Capability, has_capability

RECOVERY_CODES = 10
PROVIDER_MFA = "mfa"  # in an ID token's `amr`: the provider itself checked two factors
PROVIDER_MFA_SESSION_KEY = "second_factor_by_provider"
# Paths an unverified user still reaches: the login steps, logout, health, files, webhooks.
EXEMPT_PREFIXES = ("/connexion/", "/deconnexion/", "/sante/", "/static/", "/media/", "/iot/")


def required_by_role(user) -> bool:
    return has_capability(user, Capability.MANAGE_BILLING) or has_capability(
        user, Capability.MANAGE_USERS
    )


def has_device(user) -> bool:
    return any(True for _device in devices_for_user(user, confirmed=True))


def needs_second_factor(user) -> bool:
    """Whether the user must give a code after the password (role, or opted in)."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_needs_second_factor", None)  # once per request's user
    if cached is None:
        cached = required_by_role(user) or has_device(user)
        user._needs_second_factor = cached
    return cached


def is_verified(user) -> bool:
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


class SecondFactorMiddleware:
    """After OTPMiddleware: an unverified user who needs a second factor gets no further."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        path = request.path
        if (
            user is not None
            and user.is_authenticated
            and not path.startswith(EXEMPT_PREFIXES)
            and not is_verified(user)
            and not request.session.get(PROVIDER_MFA_SESSION_KEY)
            and needs_second_factor(user)
        ):
            if path.startswith("/api/"):
                return JsonResponse(
                    {"detail": _("Double authentification requise : validez votre code.")},
                    status=403,
                )
            step = "two_factor_verify" if has_device(user) else "two_factor_enrol"
            return redirect(f"{reverse(step)}?next={quote(request.get_full_path())}")
        return self.get_response(request)


def verify_code(user, code: str):
    """The device (application or recovery code) that accepts `code`, or None."""
    code = "".join(code.split())
    if not code or len(code) > 16:
        return None
    return match_token(user, code)


def pending_totp(user) -> TOTPDevice:
    """The application being enrolled (not confirmed yet), created on first use."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(
        user=user, name=_("Application d'authentification"), confirmed=False
    )


def totp_secret(device: TOTPDevice) -> str:
    """The key as people type it in an authenticator app (base32, groups of four)."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URL of the device as an inline SVG QR code (no external image)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


def enrol_confirm(user, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirms the application with a first code; returns the new recovery codes (the
    previous application and codes are replaced), or None when the code is wrong."""
    if not device.verify_token("".join(code.split())):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    return recovery_codes_renew(user)


def recovery_codes_renew(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=_("Codes de secours"), confirmed=True)
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=c) for c in codes)
    return codes
