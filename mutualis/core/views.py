from django.http import JsonResponse
from django.shortcuts import redirect

from mutualis.core.access import authenticated, public
from mutualis.core.roles import Capability, OperatorRole, has_capability


@authenticated
def home(request):
    if request.user.operator_role == OperatorRole.TECHNICIAN:
        return redirect("staffing:index")  # a technician's day starts with the planning
    if has_capability(request.user, Capability.VIEW_ALL):
        return redirect("members:dashboard")
    return redirect("portal")


@public
def health(request):
    """Load-balancer probe: answers without a session or a database write."""
    return JsonResponse({"status": "ok"})
