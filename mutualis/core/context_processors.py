from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from mutualis.core.roles import Capability, has_capability


def navigation(request):
    user = getattr(request, "user", None)
    items: list[dict] = []
    if user is not None and user.is_authenticated:
        if has_capability(user, Capability.VIEW_ALL):
            items = [
                (_("Tableau de bord"), reverse("members:dashboard")),
                (_("Membres"), reverse("members:member_list")),
                (_("Catalogue"), reverse("catalog:service_list")),
                (_("Demandes"), reverse("catalog:request_inbox")),
                (_("Facturation"), reverse("billing:index")),
                (_("Achats groupés"), reverse("purchasing:index")),
                (_("Informaticiens"), reverse("staffing:index")),
                (_("Imports et exports"), reverse("imports:job_list")),
            ]
        else:
            items = [(_("Mon espace"), reverse("portal"))]
        # The current item is the longest navigation URL that starts the path.
        current = max(
            (url for _label, url in items if request.path.startswith(url)), key=len, default=None
        )
        items = [{"label": label, "url": url, "current": url == current} for label, url in items]
    return {"operator_name": settings.OPERATOR_NAME, "nav_items": items}
