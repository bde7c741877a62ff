"""The API's token endpoint (apart from core.api, which DRF loads while it starts)."""

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from mutualis.core.api import TokenRateThrottle
from mutualis.core.twofactor import needs_second_factor, verify_code


class ObtainToken(ObtainAuthToken):
    """POST /api/v1/token/ {username, password[, otp]}: the user's token. Throttled per
    address; a username locked out from this address after repeated failures (django-axes) is
    told so (429), not « wrong password ». A user who needs a second factor
    (core/twofactor.py) also gives `otp`, a code of the application or a recovery code: the
    token then stands for both factors and the API does not ask again."""

    throttle_classes = [TokenRateThrottle]

    def post(self, request, *args, **kwargs):
        try:
            serializer = self.get_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            user = serializer.validated_data["user"]
            if needs_second_factor(user):
                code = str(request.data.get("otp", ""))[:20]
                if verify_code(user, code) is None:
                    raise exceptions.ValidationError(
                        {"otp": [_("Code de double authentification requis, ou incorrect.")]}
                    )
            token, _created = Token.objects.get_or_create(user=user)
            return Response({"token": token.key})
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
