"""The API's token endpoint (apart from core.api, which DRF loads while it starts)."""

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from mutualis.core.api import TokenRateThrottle


class ObtainToken(ObtainAuthToken):
    """POST /api/v1/token/ {username, password}: the user's token. Throttled per address; a
    username locked out from this address after repeated failures (django-axes) is told so
    (429), not « wrong password »."""

    throttle_classes = [TokenRateThrottle]

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except exceptions.ValidationError:
            if getattr(request, "axes_locked_out", False):
                return Response(
                    {
                        "detail": _(
                            "Trop de tentatives de connexion : cet identifiant est bloqué "
                            "depuis cette adresse pendant 15 minutes."
                        )
                    },
                    status=429,
                )
            raise
