"""Access policies of the web views, declared on each view and enforced here.

Every view of the project carries an `access` record. The tenancy test walks the URL
configuration and refuses any view without one, then exercises each policy with an
operator, the member's own agent, another member's agent and an anonymous visitor.
"""

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from mutualis.core.roles import Capability, has_capability


@dataclass(frozen=True)
class Access:
    kind: str  # "public" | "authenticated" | "operator" | "member"
    capability: Capability | None = None
    model: type | None = None  # the model behind the URL's `pk`, if any


def _mark(view, access: Access):
    view.access = access
    return view


def public(view):
    return _mark(login_not_required(view), Access("public"))


def authenticated(view):
    """Any logged-in user; the view shows only the user's own data."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return _mark(wrapper, Access("authenticated"))


def operator_required(capability: Capability = Capability.VIEW_ALL, model: type | None = None):
    """Operator staff with the given capability; member agents get 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not has_capability(request.user, capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return _mark(wrapper, Access("operator", capability, model))

    return decorator


def member_required(model: type | None = None):
    """Views under /mon-espace/<member_pk>/: the member must be visible to the user (else 404).

    The view receives `member` (resolved once here). Objects looked up by `pk` must be
    fetched through `member`-scoped querysets by the view itself.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, member_pk, *args, **kwargs):
            from mutualis.members.models import Member

            try:
                member = Member.objects.visible_to(request.user).get(pk=member_pk)
            except Member.DoesNotExist as exc:
                raise Http404 from exc
            return view(request, member, *args, **kwargs)

        return _mark(wrapper, Access("member", None, model))

    return decorator
