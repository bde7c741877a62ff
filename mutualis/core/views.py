from django.http import JsonResponse
from django.shortcuts import redirect

from mutualis.core.access import authenticated, public
from mutualis.core.roles import Capability, has_capability


@authenticated
def home(request):
    if has_capability(request.user, Capability.VIEW_ALL):
        return redirect("members:dashboard")
    return redirect("portal")


@public
def health(request):
    """Load-balancer probe: answers without a session or a database write."""
    return JsonResponse({"status": "ok"})
