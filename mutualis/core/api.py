"""Shared pieces of the JSON API: permissions that follow the operator roles."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, pagination, permissions, throttling
from rest_framework.settings import api_settings

from mutualis.core.roles import Capability, has_capability
from mutualis.core.security import client_ip


class Rights(permissions.BasePermission):
    """The API's rights, set for every view in settings (REST_FRAMEWORK).

    Reads: any authenticated user; querysets are scoped to the members the user sees.
    Writes: the rule the viewset declares for the action, `write_rules = {"create": rule}`
    (a plain APIView: by method, `{"post": rule}`), with the pages' rules (roles.py); a
    write without a rule is refused (403).
    The view looks the member and its objects up through `visible_to(user)`, so a member
    agent naming another member's objects gets 404.
    """

    message = _lazy("Votre rôle ne permet pas cette écriture.")

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        method = request.method.lower()
        if hasattr(view, "action_map"):  # a viewset: rules by action
            action = view.action
            handled = action is not None and method in view.http_method_names
        else:  # a plain APIView: rules by method
            action = method
            handled = method in view.http_method_names and hasattr(view, method)
        if not handled:
            return True  # no handler for this method: DRF answers 405
        rule = getattr(view, "write_rules", {}).get(action)
        return rule is not None and rule.allows(request.user)


class Pagination(pagination.LimitOffsetPagination):
    """`?limit=` (1 to 1,000: more is read as 1,000) and `?offset=` (0 or more). A value
    that is not a whole number in range is a 400, never a database error."""

    max_limit = 1000
    limit_query_description = _lazy("Nombre de lignes par page : de 1 à 1 000 (100 par défaut).")
    offset_query_description = _lazy("Rang de la première ligne renvoyée, à partir de 0.")

    def _whole_number(self, request, name: str, minimum: int) -> int | None:
        raw = (request.query_params.get(name) or "").strip()
        if not raw:
            return None
        digits = raw.lstrip("0") or "0"
        whole = raw.isascii() and raw.isdigit()
        # More than 18 digits is more than any count: read as 10**18, never sent to the database.
        value = (int(digits) if len(digits) <= 18 else 10**18) if whole else -1
        if value < minimum:
            raise exceptions.ValidationError(
                {
                    name: [
                        _("Un nombre entier d'au moins %(minimum)s est attendu.")
                        % {"minimum": minimum}
                    ]
                }
            )
        return value

    def get_limit(self, request):
        limit = self._whole_number(request, self.limit_query_param, 1)
        return self.default_limit if limit is None else min(limit, self.max_limit)

    def get_offset(self, request):
        return self._whole_number(request, self.offset_query_param, 0) or 0

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.limit_query_param: {"minimum": 1, "maximum": self.max_limit},
            self.offset_query_param: {"minimum": 0},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters


class UserRateThrottle(throttling.UserRateThrottle):
    """DRF's per-user throttle; a request without a user counts by its client address as
    the reverse proxy gives it (settings CLIENT_IP_HEADER), not by the proxy's."""

    def get_ident(self, request):
        return client_ip(request)


class TokenRateThrottle(throttling.SimpleRateThrottle):
    """POST /api/v1/token/: so many tries per hour from one address (scope `token`), on top
    of the lockout of a username from an address after repeated failures (django-axes)."""

    scope = "token"

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}


class MemberFilterMixin:
    """`?member=<id>` narrows a list to one member (among those the user may see)."""

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        member = self.request.query_params.get("member")
        if member is not None:
            if not member.isdigit():
                raise exceptions.ValidationError({"member": _("Un numéro de membre est attendu.")})
            queryset = queryset.filter(member_id=int(member))
        return queryset


MEMBER_PARAMETER = OpenApiParameter(
    "member", int, description="Numéro du membre (Mutualis) pour ne lister que ses données."
)


def is_operator(user) -> bool:
    return has_capability(user, Capability.VIEW_ALL)


def drf_validation_error(error: DjangoValidationError) -> exceptions.ValidationError:
    """A service's refusal as a 400 answer: by field, or under `non_field_errors`."""
    if hasattr(error, "error_dict"):
        return exceptions.ValidationError(error.message_dict)
    return exceptions.ValidationError({"non_field_errors": error.messages})


def exception_handler(exc, context):
    """DRF's handler, with Django's refusals as 400 and a French « not found »."""
    # Imported here: rest_framework.views reads the settings that name this module.
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, DjangoValidationError):
        exc = drf_validation_error(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Introuvable, ou hors de vos collectivités."))
    return drf_exception_handler(exc, context)
