from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mutualis.core.roles import Capability, has_capability


def _operator_sections() -> list[tuple[str, str, tuple[str, ...]]]:
    """Label, URL, and the other paths that belong to the section."""
    return [
        (_("Tableau de bord"), reverse("members:dashboard"), ()),
        (_("Membres"), reverse("members:member_list"), ("/operateur/adhesions/",)),
        (_("Catalogue"), reverse("catalog:service_list"), ("/operateur/souscriptions/",)),
        (_("Demandes"), reverse("catalog:request_inbox"), ()),
        (_("Facturation"), reverse("billing:index"), ("/operateur/consommations/",)),
        (_("Achats groupés"), reverse("purchasing:index"), ()),
        (_("Informaticiens"), reverse("staffing:index"), ()),
        (_("Capteurs"), reverse("iot:sensor_list"), ()),
        (_("Alertes"), reverse("alerts:list"), ()),
        (_("Instances"), reverse("governance:index"), ()),
        (_("Assistance"), reverse("support:index"), ()),
        (_("Enquêtes"), reverse("surveys:index"), ()),
        (_("Imports et exports"), reverse("imports:job_list"), ()),
        (_("Vue des élus"), reverse("insights:home"), ()),
    ]


def _operator_groups() -> list[tuple[str, tuple[str, ...]]]:
    """The menu's groups, each naming its sections (by their URL), in the menu's order: the
    header shows the groups, the current group's sections show beneath it."""
    return [
        (_("Tableau de bord"), (reverse("members:dashboard"),)),
        (
            _("Membres et offre"),
            (
                reverse("members:member_list"),
                reverse("catalog:service_list"),
                reverse("catalog:request_inbox"),
                reverse("support:index"),
                reverse("surveys:index"),
                reverse("proconnect:requests"),
            ),
        ),
        (_("Facturation"), (reverse("billing:index"),)),
        (
            _("Services partagés"),
            (reverse("purchasing:index"), reverse("staffing:index")),
        ),
        (_("Capteurs"), (reverse("iot:sensor_list"), reverse("alerts:list"))),
        (
            _("Élus et instances"),
            (reverse("insights:home"), reverse("governance:index"), reverse("audit:search")),
        ),
        (_("Imports et exports"), (reverse("imports:job_list"),)),
    ]


def _with_open_contests(sections):
    """The shared-staff section says how many contested days wait for a decision."""
    from mutualis.staffing.selectors import open_contest_count

    count = open_contest_count()
    if not count:
        return sections
    staffing = reverse("staffing:index")
    suffix = ngettext("%(count)s contestation", "%(count)s contestations", count) % {"count": count}
    return [
        (f"{label} ({suffix})" if url == staffing else label, url, others)
        for label, url, others in sections
    ]


def _with_pending_requests(sections, user):
    """The requests section says how many requests wait, for those who decide them: the
    in-app notice of a new request (an e-mail is sent too, catalog/services.py)."""
    if not has_capability(user, Capability.DECIDE_REQUESTS):
        return sections
    from mutualis.catalog.models import ServiceRequest

    count = ServiceRequest.objects.pending().count()
    if not count:
        return sections
    inbox = reverse("catalog:request_inbox")
    suffix = ngettext("%(count)s en attente", "%(count)s en attente", count) % {"count": count}
    return [
        (f"{label} ({suffix})" if url == inbox else label, url, others)
        for label, url, others in sections
    ]


def _proconnect_requests(user) -> list:
    """« Accès ProConnect (n) » while agents wait for access, for those who give it."""
    if not has_capability(user, Capability.MANAGE_USERS):
        return []
    from mutualis.proconnect.models import AccessRequest

    count = AccessRequest.objects.pending().count()
    if not count:
        return []
    return [
        (
            _("Accès ProConnect (%(count)s à traiter)") % {"count": count},
            reverse("proconnect:requests"),
            (),
        )
    ]


def _awaiting_second_factor(request, user) -> bool:
    """Between the password and the code, the menu would only lead back to the code."""
    from mutualis.core.twofactor import PROVIDER_MFA_SESSION_KEY, is_verified, needs_second_factor

    if request.session.get(PROVIDER_MFA_SESSION_KEY):
        return False
    return not is_verified(user) and needs_second_factor(user)


def _grouped(sections, current: str | None) -> list[dict]:
    """The groups that hold at least one of `sections` (a section in no group is a group of
    its own): label, URL of its first section, current, and its sections. A group's label
    carries the counts its sections announce (« 2 en attente »)."""
    by_url = {url: label for label, url, _others in sections}
    groups, placed = [], set()
    for label, urls in [*_operator_groups(), *((by_url[u], (u,)) for u in by_url)]:
        children = [
            {"label": by_url[u], "url": u, "current": u == current}
            for u in urls
            if u in by_url and u not in placed
        ]
        if not children:
            continue
        placed.update(c["url"] for c in children)
        counts = [
            c["label"][c["label"].index(" (") + 2 : -1] for c in children if " (" in c["label"]
        ]
        if counts:
            label = f"{label} ({', '.join(counts)})"
        groups.append(
            {
                "label": label if len(children) > 1 else children[0]["label"],
                "url": children[0]["url"],
                "current": any(c["current"] for c in children),
                "children": children if len(children) > 1 else [],
            }
        )
    return groups


def navigation(request):
    user = getattr(request, "user", None)
    items: list[dict] = []
    if user is not None and user.is_authenticated and not _awaiting_second_factor(request, user):
        if has_capability(user, Capability.VIEW_ALL):
            sections = _with_open_contests(_operator_sections())
            if has_capability(user, Capability.VIEW_AUDIT):
                sections.append((_("Historique"), reverse("audit:search"), ()))
            sections = _with_pending_requests(sections, user)
            sections += _proconnect_requests(user)
        else:
            sections = [(_("Mon espace"), reverse("portal"), ())]
        # The current section is the one whose URL (or other path) starts the path the longest.
        matches = [
            (len(prefix), url)
            for _label, url, others in sections
            for prefix in (url, *others)
            if request.path.startswith(prefix)
        ]
        current = max(matches)[1] if matches else None
        items = _grouped(sections, current)
    return {"operator_name": settings.OPERATOR_NAME, "nav_items": items}
