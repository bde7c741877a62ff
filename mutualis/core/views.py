import logging

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views import defaults

from mutualis.core.access import authenticated, public
from mutualis.core.roles import Capability, OperatorRole, has_capability
from mutualis.core.security import client_ip, over_limit


@authenticated
def home(request):
    if request.user.operator_role == OperatorRole.TECHNICIAN:
        return redirect("staffing:index")  # a technician's day starts with the planning
    if request.user.operator_role == OperatorRole.READ_ONLY:
        return redirect("insights:home")  # the comité's élus: what pooling brings each member
    if has_capability(request.user, Capability.VIEW_ALL):
        return redirect("members:dashboard")
    accesses = request.user.agent_accesses.all()
    if accesses.exists() and not accesses.filter(is_elected=False).exists():
        return redirect("insights:home")  # a member's élu: what pooling brings the member
    return redirect("portal")


@public
def health(request):
    """Load-balancer probe: answers without a session or a database write."""
    return JsonResponse({"status": "ok"})


def page_not_found(request, exception):
    """The French 404 page in the layout; under /api/, the API's JSON answer."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Introuvable, ou hors de vos collectivités.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """The 500 page in the layout, drawn without the session or the database (they may be
    what failed); if even the layout fails (static files missing…), a bare page in French."""
    try:
        body = render_to_string(
            "500.html", {"operator_name": settings.OPERATOR_NAME, "csrf_token": ""}
        )
    except Exception:
        logging.getLogger(__name__).exception("The 500 page could not be drawn in the layout")
        body = _BARE_500.format(
            title=escape(_("Une erreur est survenue")),
            text=escape(
                _("L'équipe de l'opérateur en est informée. Réessayez dans quelques minutes.")
            ),
            home=escape(_("Retour à l'accueil")),
        )
    return HttpResponseServerError(body)


_BARE_500 = (
    '<!DOCTYPE html>\n<html lang="fr">\n<head><meta charset="utf-8"><title>{title}</title></head>\n'
    '<body><main><h1>{title}</h1><p>{text}</p><p><a href="/">{home}</a></p></main></body>\n'
    "</html>\n"
)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's « forgotten password » form, with a limit on the links asked per hour from
    one address and for one email (settings PASSWORD_RESET_LIMIT_*): over it, the form says
    so (429) and sends nothing."""

    def post(self, request, *args, **kwargs):
        by_address = over_limit(
            "password-reset-address", client_ip(request), settings.PASSWORD_RESET_LIMIT_PER_ADDRESS
        )
        email = request.POST.get("email", "")
        by_email = bool(email.strip()) and over_limit(
            "password-reset-email", email, settings.PASSWORD_RESET_LIMIT_PER_EMAIL
        )
        if by_address or by_email:
            form = self.get_form()
            form.is_valid()
            form.add_error(None, _("Trop de demandes de lien : réessayez dans une heure."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)
