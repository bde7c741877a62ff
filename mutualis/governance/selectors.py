"""Reads of governance: the register, what a délibération decides, the SCDL export."""

from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from mutualis.governance.models import Deliberation, Meeting
from mutualis.governance.rules import matiere_scdl_name


@dataclass(frozen=True)
class Decided:
    kind: str
    label: str
    url: str | None


def register(*, year: int | None = None, body_id: int | None = None, search: str = ""):
    entries = Deliberation.objects.select_related("decision", "body", "meeting")
    if year:
        entries = entries.filter(decision__date__year=year)
    if body_id:
        entries = entries.filter(body_id=body_id)
    if search:
        entries = entries.filter(
            Q(decision__subject__icontains=search) | Q(decision__number__icontains=search)
        )
    return entries.order_by("-decision__date", "-decision__number", "-pk")


def decided_by(entry: Deliberation) -> list[Decided]:
    """What the délibération decides, read through every link to its decision."""
    from mutualis.billing.models import AllocationRun

    decision = entry.decision
    items: list[Decided] = []
    for tariff in decision.tariffs.select_related("service").order_by("service__name"):
        items.append(
            Decided(
                _("Tarif adopté"), str(tariff), reverse("billing:tariff_detail", args=[tariff.pk])
            )
        )
    for membership in entry.memberships.select_related("member"):
        kind = _("Fin d'adhésion") if membership.end_date else _("Adhésion")
        items.append(
            Decided(
                kind,
                str(membership),
                reverse("members:member_detail", args=[membership.member_id]),
            )
        )
    for lot in decision.purchasing_lots.select_related("campaign"):
        items.append(
            Decided(
                _("Attribution d'un lot"),
                f"{lot.campaign} — {lot}",
                reverse("purchasing:lot_edit", args=[lot.pk]),
            )
        )
    for agreement in decision.staffing_agreements.select_related("member"):
        items.append(Decided(_("Convention de mise à disposition"), str(agreement), None))
    for run in AllocationRun.objects.filter(correction_decision=decision):
        items.append(
            Decided(
                _("Correction d'un calcul"), str(run), reverse("billing:run_detail", args=[run.pk])
            )
        )
    for invoice in decision.invoices.all():
        items.append(Decided(_("Titre de recettes"), str(invoice), None))
    if entry.budget_name or entry.budget_year:
        items.append(Decided(_("Budget"), f"{entry.budget_name} {entry.budget_year}".strip(), None))
    return items


def guessed_matiere(entry: Deliberation) -> str:
    """The ACTES matière a délibération most likely has, from what it decides."""
    decision = entry.decision
    if decision.purchasing_lots.exists():
        return "1.1"
    if decision.staffing_agreements.exists():
        return "1.4"
    if decision.tariffs.exists():
        return "7.6"
    if entry.memberships.exists():
        return "5.7"
    if entry.budget_name:
        return "7.1"
    return "7.10"


def meeting_list():
    return Meeting.objects.select_related("body").order_by("-date", "-pk")


SCDL_COLUMNS = [
    "COLL_NOM",
    "COLL_SIRET",
    "DELIB_ID",
    "DELIB_DATE",
    "DELIB_MATIERE_CODE",
    "DELIB_MATIERE_NOM",
    "DELIB_OBJET",
    "BUDGET_ANNEE",
    "BUDGET_NOM",
    "PREF_ID",
    "PREF_DATE",
    "VOTE_EFFECTIF",
    "VOTE_REEL",
    "VOTE_POUR",
    "VOTE_CONTRE",
    "VOTE_ABSTENTION",
    "DELIB_URL",
]


def _count(value) -> str:
    return "" if value is None else str(value)


def scdl_rows(*, operator_name: str, operator_siret: str, year: int | None = None):
    """The register as rows of the SCDL « délibérations » schema 2.1.5 (column order kept)."""
    for entry in register(year=year).order_by("decision__date", "decision__number", "pk"):
        decision = entry.decision
        code = entry.matiere or guessed_matiere(entry)
        yield [
            operator_name,
            operator_siret,
            decision.number or f"{decision.date:%Y}-{decision.pk}",
            decision.date.isoformat(),
            code,
            matiere_scdl_name(code),
            " ".join(decision.subject.split()),
            entry.budget_year,
            entry.budget_name,
            entry.prefecture_id,
            entry.transmitted_on.isoformat() if entry.transmitted_on else "",
            _count(entry.effectif),
            _count(entry.voters),
            _count(entry.votes_for),
            _count(entry.votes_against),
            _count(entry.abstentions),
            "",
        ]
