"""The second step of the login (a code from the application, or a recovery code), and the
enrolment of an authenticator application. Both are steps of the login, like /connexion/:
open to a user who gave the password, not verified yet (core/twofactor.py)."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from mutualis.core.access import public
from mutualis.core.security import client_ip, over_limit
from mutualis.core.twofactor import (
    enrol_confirm,
    has_device,
    is_verified,
    pending_totp,
    qr_svg,
    recovery_codes_renew,
    required_by_role,
    safe_next,
    totp_secret,
    verify_code,
)

CODE_ATTEMPTS_PER_HOUR = 20


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code à 6 chiffres de l'application, ou code de secours"),
        max_length=20,
        widget=forms.TextInput({"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _to_login(request):
    return redirect(f"/connexion/?next={request.get_full_path()}")


def _throttled(request) -> bool:
    return over_limit("otp", f"{request.user.pk}:{client_ip(request)}", CODE_ATTEMPTS_PER_HOUR)


@public
@require_http_methods(["GET", "POST"])
def verify(request):
    if not request.user.is_authenticated:
        return _to_login(request)
    if not has_device(request.user):
        return redirect("two_factor_enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _throttled(request):
            form.add_error("code", _("Trop de codes essayés : réessayez dans une heure."))
        else:
            device = verify_code(request.user, form.cleaned_data["code"])
            if device is None:
                form.add_error("code", _("Code incorrect ou expiré."))
            else:
                otp_login(request, device)
                return redirect(safe_next(request, "/"))
    return render(
        request,
        "registration/two_factor_verify.html",
        {"form": form, "next": safe_next(request, "")},
    )


@public
@require_http_methods(["GET", "POST"])
def enrol(request):
    """Enrols an authenticator application (or replaces it, once verified) and gives new
    recovery codes. Someone who has only the password cannot replace an enrolled one."""
    user = request.user
    if not user.is_authenticated:
        return _to_login(request)
    if has_device(user) and not is_verified(user):
        return redirect("two_factor_verify")
    device = pending_totp(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _throttled(request):
            form.add_error("code", _("Trop de codes essayés : réessayez dans une heure."))
        else:
            codes = enrol_confirm(user, device, form.cleaned_data["code"])
            if codes is None:
                form.add_error("code", _("Code incorrect : vérifiez l'heure du téléphone."))
            else:
                otp_login(request, device)
                messages.success(request, _("Double authentification activée."))
                return render(
                    request,
                    "registration/two_factor_codes.html",
                    {"codes": codes, "next": safe_next(request, "/")},
                )
    return render(
        request,
        "registration/two_factor_enrol.html",
        {
            "form": form,
            "qr": mark_safe(qr_svg(device)),  # noqa: S308 (SVG drawn by qrcode from our URL)
            "secret": totp_secret(device),
            "required": required_by_role(user),
            "enrolled": has_device(user),
            "next": safe_next(request, ""),
        },
    )


@public
@require_http_methods(["POST"])
def recovery_codes(request):
    """New recovery codes (the old ones stop working), for a verified user."""
    if not request.user.is_authenticated:
        return _to_login(request)
    if not is_verified(request.user):
        return redirect("two_factor_verify")
    codes = recovery_codes_renew(request.user)
    return render(request, "registration/two_factor_codes.html", {"codes": codes, "next": "/"})
