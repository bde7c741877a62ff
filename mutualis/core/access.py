"""Access policies of the web views, declared on each view and enforced here.

Every view of the project carries an `access` record: who may open it and who may write
through it (any method but GET, HEAD and OPTIONS). A page that takes no writes answers them
405. The tenancy test walks the URL configuration and refuses any view without a policy,
then tries every page with each operator role, both members' agents and an outsider.
"""

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed

from mutualis.core.roles import Capability, WriteRule, has_capability, operators_with

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
_SAME = object()


@dataclass(frozen=True)
class Access:
    kind: str  # "public" | "authenticated" | "operator" | "member"
    capability: Capability | None = None  # operator pages: needed to open the page at all
    model: type | None = None  # the model behind the URL's `pk`, if any
    write: WriteRule | None = None  # who may write through the page; None: nobody (405)


def _mark(view, access: Access):
    view.access = access
    return view


def _refuse_write(request, rule: WriteRule | None):
    """None when the request may go on, else the refusal of a write."""
    if request.method in SAFE_METHODS:
        return None
    if rule is None:
        return HttpResponseNotAllowed(SAFE_METHODS)
    if not rule.allows(request.user):
        raise PermissionDenied
    return None


def public(view):
    return _mark(login_not_required(view), Access("public"))


def authenticated(view):
    """Any logged-in user; the view shows only the user's own data and takes no writes."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            raise PermissionDenied
        return _refuse_write(request, None) or view(request, *args, **kwargs)

    return _mark(wrapper, Access("authenticated"))


def operator_required(
    capability: Capability = Capability.VIEW_ALL, model: type | None = None, write=_SAME
):
    """Operator staff with `capability`; member agents get 403.

    Writes need `write` (a capability, or a WriteRule): by default the page's own capability,
    and none at all for a page any operator may open (`VIEW_ALL`): it is a page to read.
    """
    if write is _SAME:
        write = None if capability == Capability.VIEW_ALL else capability
    rule = operators_with(write) if isinstance(write, Capability) else write

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not has_capability(request.user, capability):
                raise PermissionDenied
            return _refuse_write(request, rule) or view(request, *args, **kwargs)

        return _mark(wrapper, Access("operator", capability, model, rule))

    return decorator


def member_required(model: type | None = None, write: WriteRule | None = None):
    """Views under /mon-espace/<member_pk>/: the member must be visible to the user (else 404).

    The view receives `member` (resolved once here). Objects looked up by `pk` must be
    fetched through `member`-scoped querysets by the view itself. Writes follow `write`
    (roles.py: what agents may write); a page without one takes no writes.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, member_pk, *args, **kwargs):
            from mutualis.members.models import Member

            try:
                member = Member.objects.visible_to(request.user).get(pk=member_pk)
            except Member.DoesNotExist as exc:
                raise Http404 from exc
            refusal = _refuse_write(request, write)
            return refusal or view(request, member, *args, **kwargs)

        return _mark(wrapper, Access("member", None, model, write))

    return decorator
