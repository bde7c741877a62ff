"""Shared pieces of the JSON API: permissions that follow the operator roles."""

from rest_framework import permissions

from mutualis.core.roles import Capability, has_capability


class ReadOrCapability(permissions.BasePermission):
    """Reads for any authenticated user (querysets are scoped); writes need the view's
    `write_capability`."""

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        capability = getattr(view, "write_capability", None)
        return capability is not None and has_capability(request.user, capability)


def is_operator(user) -> bool:
    return has_capability(user, Capability.VIEW_ALL)
