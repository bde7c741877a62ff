"""ProConnect pages: the login and its return, the outcome page, logout at the provider, the
account's link, and the operator's access requests."""

import logging
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, SuspiciousOperation, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from mozilla_django_oidc import views as oidc_views
from requests import RequestException

from mutualis.core import twofactor
from mutualis.core.access import authenticated, operator_required, public
from mutualis.core.roles import Capability
from mutualis.proconnect import config, selectors, services
from mutualis.proconnect.backend import (
    LINK_SESSION_KEY,
    OUTCOME_SESSION_KEY,
    ProConnectBackend,
    ProConnectRefused,
    get_settings,
)
from mutualis.proconnect.models import AccessRequest

logger = logging.getLogger(__name__)


class StartView(oidc_views.OIDCAuthenticationRequestView):
    """To ProConnect's authorization endpoint: code flow, PKCE (S256), state, nonce."""

    get_settings = staticmethod(get_settings)

    def __init__(self, **kwargs):
        super(oidc_views.OIDCAuthenticationRequestView, self).__init__(**kwargs)

    def get(self, request):
        if not config.enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except RequestException:
            logger.exception("ProConnect discovery failed")
            return _outcome_page(request, "unavailable", status=503)
        self.OIDC_RP_CLIENT_ID = get_settings("OIDC_RP_CLIENT_ID")
        return super().get(request)

    def get_extra_params(self, request):
        params = {"claims": '{"id_token":{"amr":{"essential":true}}}'}
        if config.acr_values():
            params["acr_values"] = config.acr_values()
        return params


class CallbackView(oidc_views.OIDCAuthenticationCallbackView):
    get_settings = staticmethod(get_settings)

    @property
    def failure_url(self):
        return reverse("proconnect:outcome")

    def get(self, request):
        if not config.enabled():
            raise Http404
        request.session.pop(OUTCOME_SESSION_KEY, None)
        try:
            return self._callback(request)
        except (SuspiciousOperation, ProConnectRefused) as exc:  # state, nonce, signature…
            logger.warning("ProConnect login refused: %s", exc)
            return _outcome_page(request, "refused", status=400)
        except RequestException:
            logger.exception("ProConnect unreachable")
            return _outcome_page(request, "unavailable", status=503)

    def _callback(self, request):
        """mozilla-django-oidc's callback, but calling our backend alone: Django's
        authenticate() would run django-axes too, which counts a refused ProConnect login
        (unknown organisation…) as a password failure of an empty username and would lock
        out every agent behind the same address."""
        if request.GET.get("error") or "code" not in request.GET or "state" not in request.GET:
            return super().get(request)
        states = request.session.get("oidc_states") or {}
        state = request.GET["state"]
        if state not in states:
            raise SuspiciousOperation("ProConnect callback with a state this session never sent.")
        nonce, code_verifier = states[state]["nonce"], states[state].get("code_verifier")
        del request.session["oidc_states"][state]
        request.session.save()
        backend = ProConnectBackend()
        user = backend.authenticate(request, nonce=nonce, code_verifier=code_verifier)
        if user is None or not user.is_active:
            return self.login_failure()
        user.backend = f"{ProConnectBackend.__module__}.{ProConnectBackend.__qualname__}"
        self.user = user
        return self.login_success()

    def login_success(self):
        response = super().login_success()
        if getattr(self.user, "proconnect_mfa", False):
            self.request.session[twofactor.PROVIDER_MFA_SESSION_KEY] = True
        outcome = self.request.session.pop(OUTCOME_SESSION_KEY, {}).get("outcome")
        if outcome == services.Outcome.LINKED:
            messages.success(self.request, _("Votre compte est lié à votre identité ProConnect."))
            return redirect("proconnect:account")
        return response


def _outcome_page(request, outcome: str, *, status: int = 200, details: dict | None = None):
    context = {"outcome": outcome, **(details or {})}
    return render(request, "proconnect/outcome.html", context, status=status)


@public
def outcome(request):
    details = request.session.get(OUTCOME_SESSION_KEY)
    if not details:
        return redirect("login")
    status = 200 if details["outcome"] == services.Outcome.REQUEST_PENDING else 403
    return _outcome_page(request, details["outcome"], status=status, details=details)


@public
def logout(request):
    """Django's logout, then ProConnect's (end_session, with the ID token as hint) when the
    session came from ProConnect."""
    id_token = request.session.get("oidc_id_token")
    response = auth_views.LogoutView.as_view()(request)
    if not id_token or not config.enabled() or response.status_code != 302:
        return response
    try:
        end_session = get_settings("OIDC_OP_LOGOUT_ENDPOINT")
    except (RequestException, KeyError):
        return response
    query = urlencode(
        {
            "id_token_hint": id_token,
            "state": get_random_string(32),
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
        }
    )
    return HttpResponseRedirect(f"{end_session}?{query}")


@authenticated
def account(request):
    return render(
        request,
        "proconnect/account.html",
        {"identity": selectors.identity_of(request.user), "enabled": config.enabled()},
    )


@authenticated
def link(request):
    """Links the logged-in account to a ProConnect identity: to ProConnect and back."""
    if not config.enabled():
        messages.error(request, _("La connexion ProConnect n'est pas configurée."))
        return redirect("proconnect:account")
    request.session[LINK_SESSION_KEY] = request.user.pk
    return redirect("proconnect:start")


@public
@require_POST
def unlink(request):
    """Unties the logged-in account from its ProConnect identity (its own, nobody else's)."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    try:
        done = services.unlink(request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if done:
            messages.success(request, _("Votre compte n'est plus lié à ProConnect."))
    return redirect("proconnect:account")


@operator_required(Capability.MANAGE_USERS, write=None)
def requests_list(request):
    return render(
        request,
        "proconnect/requests.html",
        {"pending": selectors.pending_requests(), "decided": selectors.decided_requests()},
    )


@operator_required(Capability.MANAGE_USERS, model=AccessRequest)
def request_detail(request, pk):
    access_request = get_object_or_404(selectors.requests(), pk=pk)
    if request.method == "POST":
        decision = request.POST.get("decision")
        try:
            if decision == "approve":
                services.approve(access_request, request.user)
                messages.success(request, _("Accès ouvert : l'agent est prévenu par courriel."))
            elif decision == "refuse":
                services.refuse(access_request, request.user)
                messages.success(request, _("Demande refusée : l'agent est prévenu par courriel."))
            else:
                messages.error(request, _("Choisissez d'accepter ou de refuser la demande."))
                return redirect("proconnect:request", pk=pk)
        except services.DecisionError as error:
            messages.error(request, error.message)
        return redirect("proconnect:requests")
    return render(request, "proconnect/request_detail.html", {"access_request": access_request})
