"""The support block of the élus' page and of the annual reports (insights): a member's
figures of the year in a few French sentences, and all the members' for the operator."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mutualis.core.numbers import format_number
from mutualis.support.figures import Figures, format_duration
from mutualis.support.selectors import MemberSupport, all_members_figures, member_support


def member_year(member, year: int) -> MemberSupport:
    return member_support(member, year)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value)} %"


def sentences(figures: Figures) -> list[str]:
    """What the figures say, one sentence each (empty: no ticket)."""
    if not figures.tickets:
        return []
    lines = [
        ngettext(
            "%(n)s demande d'assistance, dont %(open)s pas encore résolue.",
            "%(n)s demandes d'assistance, dont %(open)s pas encore résolues.",
            figures.tickets,
        )
        % {"n": format_number(figures.tickets), "open": format_number(figures.open)}
    ]
    if figures.response:
        lines.append(
            _("Prise en compte : %(median)s en médiane, 9 demandes sur 10 en %(p90)s ou moins.")
            % {
                "median": format_duration(figures.response.median),
                "p90": format_duration(figures.response.p90),
            }
        )
    if figures.resolution:
        lines.append(
            _("Résolution : %(median)s en médiane, 9 demandes sur 10 en %(p90)s ou moins.")
            % {
                "median": format_duration(figures.resolution.median),
                "p90": format_duration(figures.resolution.p90),
            }
        )
    if figures.resolution_sla.counted:
        lines.append(
            _("Résolues dans le délai promis : %(percent)s (%(met)s sur %(counted)s).")
            % {
                "percent": _percent(figures.resolution_sla.percent),
                "met": format_number(figures.resolution_sla.met),
                "counted": format_number(figures.resolution_sla.counted),
            }
        )
    if figures.longest:
        wait = figures.longest[0]
        lines.append(
            _("Attente la plus longue : %(wait)s (%(title)s).")
            % {"wait": format_duration(wait.seconds), "title": wait.title}
        )
    return lines


def method() -> str:
    return _(
        "Délais comptés par l'outil d'assistance (GLPI : heures ouvrées du calendrier de "
        "l'entité s'il en a un, sinon temps écoulé ; fichiers importés : temps écoulé)."
    )


def operator_sentences(year: int) -> list[str]:
    """Every ticket of the year, members' and unmapped alike, for the activity report."""
    return sentences(all_members_figures(year))
