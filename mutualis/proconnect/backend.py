"""The ProConnect authentication backend: mozilla-django-oidc's code flow, configured from
ProConnect's discovery document, with the checks ProConnect asks of a service provider.

mozilla-django-oidc makes the `state`, the `nonce` and the PKCE verifier, checks the `state`
on return, exchanges the code, and checks the ID token's signature (RS256, the provider's
JWKS) and `nonce`. Here we add: the ID token's and the userinfo's `iss` and `aud` (the library
leaves `aud` unchecked), a signed userinfo (ProConnect answers `application/jwt`: a JSON
userinfo is refused), the same `sub` in both, and the mapping of services.resolve.
"""

import logging

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from mutualis.core import twofactor
from mutualis.proconnect import config, services

logger = logging.getLogger(__name__)

OUTCOME_SESSION_KEY = "proconnect_outcome"
LINK_SESSION_KEY = "proconnect_link_user"


class ProConnectRefused(Exception):
    """A response of ProConnect that does not verify (the library swallows its own
    SuspiciousOperation raised there: this one reaches the callback view)."""


def get_settings(attr, *args):
    try:
        return config.oidc_setting(attr)
    except KeyError:
        return import_from_settings(attr, *args)


class _Endpoint:
    def __init__(self, name: str):
        self.name = name

    def __get__(self, instance, owner):
        return get_settings(self.name)


class ProConnectBackend(OIDCAuthenticationBackend):
    # Read when needed (not at each password login, as the library's __init__ would).
    OIDC_OP_TOKEN_ENDPOINT = _Endpoint("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = _Endpoint("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = _Endpoint("OIDC_OP_JWKS_ENDPOINT")
    OIDC_RP_CLIENT_ID = _Endpoint("OIDC_RP_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = _Endpoint("OIDC_RP_CLIENT_SECRET")
    OIDC_RP_SIGN_ALGO = "RS256"
    OIDC_RP_IDP_SIGN_KEY = None

    def __init__(self, *args, **kwargs):
        self.UserModel = get_user_model()

    get_settings = staticmethod(get_settings)

    def authenticate(self, request, **kwargs):
        # Only the ProConnect callback passes a nonce; a password login is not ours.
        if request is None or "nonce" not in kwargs or not config.enabled():
            return None
        self.request = request
        self.id_token_claims = {}
        return super().authenticate(request, **kwargs)

    def _verify_jws(self, payload, key):
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"ProConnect token signed with {header.get('alg')!r}.")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=settings.PROCONNECT_CLIENT_ID,
                issuer=config.discovery()["issuer"],
                options={"require": ["iss", "aud", "sub"]},
                leeway=30,
            )
        except jwt.InvalidTokenError as exc:
            raise SuspiciousOperation(f"ProConnect token refused: {exc}") from exc

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        if "nonce" in kwargs:  # the ID token (the userinfo JWT carries no nonce)
            if "exp" not in payload or "iat" not in payload:
                raise SuspiciousOperation("ProConnect ID token without exp or iat.")
            asked = config.acr_values().split()
            if asked and payload.get("acr") not in asked:
                # The level asked (acr_values) is a wish the provider may not honour: the
                # ID token says which level it did, and a lower one is refused.
                raise SuspiciousOperation(
                    f"ProConnect ID token with acr {payload.get('acr')!r}, not one of {asked}."
                )
            self.id_token_claims = payload
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        response = requests.get(
            self.OIDC_OP_USER_ENDPOINT,
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=settings.PROCONNECT_TIMEOUT,
        )
        response.raise_for_status()
        if not response.headers.get("content-type", "").lower().startswith("application/jwt"):
            raise SuspiciousOperation("ProConnect userinfo is not a signed JWT.")
        claims = self.verify_token(response.text)
        if claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("ProConnect userinfo is about another sub.")
        return claims

    def verify_claims(self, claims):
        return bool(claims.get("sub") and claims.get("email"))

    def get_or_create_user(self, access_token, id_token, payload):
        try:
            claims = self.get_userinfo(access_token, id_token, payload)
        except SuspiciousOperation as exc:
            raise ProConnectRefused(str(exc)) from exc
        session = self.request.session
        link_user = None
        link_id = session.pop(LINK_SESSION_KEY, None)
        user = getattr(self.request, "user", None)
        if link_id and user is not None and user.is_authenticated and user.pk == link_id:
            link_user = user
        result = services.resolve(
            claims, link_user=link_user, base_url=self.request.build_absolute_uri("/")
        )
        session[OUTCOME_SESSION_KEY] = {
            "outcome": result.outcome,
            "member": result.member.name if result.member else "",
            "email": claims.get("email", ""),
            "siret": str(claims.get("siret") or ""),
        }
        if result.user is None:
            logger.info("ProConnect login of %s: %s", claims.get("sub"), result.outcome)
            return None
        amr = self.id_token_claims.get("amr") or []
        result.user.proconnect_mfa = isinstance(amr, list) and twofactor.PROVIDER_MFA in amr
        return result.user

    def get_user(self, user_id):
        try:
            return self.UserModel.objects.get(pk=user_id)
        except self.UserModel.DoesNotExist:
            return None
