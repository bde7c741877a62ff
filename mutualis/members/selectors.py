"""Reads on members: lists, hierarchy, coverage of the territory."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from mutualis.core.text import normalize_name
from mutualis.members.models import Member, MemberKind, Membership
from mutualis.territory.models import Commune, Departement


def active_membership_exists(day: dt.date | None = None) -> Exists:
    day = day or timezone.localdate()
    return Exists(Membership.objects.filter(member=OuterRef("pk")).active_on(day))


def member_list(
    *,
    user,
    search: str = "",
    kind: str = "",
    departement: str = "",
    epci: str = "",
    status: str = "",
):
    members = (
        Member.objects.visible_to(user)
        .select_related("epci", "departement", "parent")
        .annotate(is_member=active_membership_exists())
    )
    if search:
        code = "".join(search.split()).upper()
        members = members.filter(
            Q(search_name__contains=normalize_name(search)) | Q(siren=code) | Q(insee_code=code)
        )
    if kind:
        members = members.filter(kind=kind)
    if departement:
        members = members.filter(departement__code=departement)
    if epci:
        members = members.filter(epci__siren=epci)
    if status == "member":
        members = members.filter(is_member=True)
    elif status == "not_member":
        members = members.filter(is_member=False)
    return members.order_by("search_name", "pk")


def member_detail(*, user, pk: int) -> Member:
    return (
        Member.objects.visible_to(user)
        .select_related("epci", "departement", "parent", "commune", "territory_epci")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("decision", "agreement__third_party"),
            ),
            Prefetch("children", queryset=Member.objects.order_by("name")),
            "agent_accesses__user",
        )
        .get(pk=pk)
    )


def member_perimeter(member: Member):
    """An EPCI's communes and their establishments (and itself), in one query."""
    if member.kind != MemberKind.EPCI or member.epci_id is None:
        return Member.objects.filter(pk=member.pk)
    return Member.objects.in_epci_perimeter(member.epci_id).order_by("kind", "name")


@dataclass
class Coverage:
    label: str
    total: int
    covered: int
    population_total: int
    population_covered: int
    epci_siren: str = ""

    @property
    def share(self) -> float:
        return 100 * self.covered / self.total if self.total else 0.0

    @property
    def population_share(self) -> float:
        return (
            100 * self.population_covered / self.population_total if self.population_total else 0.0
        )


def perimeter_departement_ids() -> list[int]:
    """The operator's territory: the départements of the OPERATOR_DEPARTEMENTS setting, or by
    default those where it has at least one adherent (a member with a running membership)."""
    codes = settings.OPERATOR_DEPARTEMENTS
    if codes:
        return list(
            Departement.objects.filter(code__in=codes).order_by("pk").values_list("pk", flat=True)
        )
    return list(
        Member.objects.filter(active_membership_exists())
        .exclude(departement=None)
        .values_list("departement_id", flat=True)
        .distinct()
        .order_by("departement_id")
    )


KIND_PLURALS = {
    MemberKind.REGION: _lazy("Régions"),
    MemberKind.DEPARTEMENT: _lazy("Départements"),
    MemberKind.EPCI: _lazy("EPCI"),
    MemberKind.COMMUNE: _lazy("Communes"),
    MemberKind.ESTABLISHMENT: _lazy("Établissements publics"),
    MemberKind.OTHER: _lazy("Autres organismes publics"),
}


def members_by_kind(day: dt.date | None = None) -> dict[str, int]:
    """Adherents per kind (plural label → count), the kinds with none left out."""
    rows = (
        Member.objects.filter(active_membership_exists(day))
        .values("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {row["kind"]: row["n"] for row in rows}
    return {
        str(KIND_PLURALS[value]): counts[value]
        for value, _label in MemberKind.choices
        if counts.get(value)
    }


def territory_coverage(day: dt.date | None = None) -> tuple[list[Coverage], list[Coverage]]:
    """Coverage of the operator's territory: totals (communes, EPCIs, population) and per EPCI.

    Three queries whatever the size of the territory.
    """
    departements = perimeter_departement_ids()
    member_commune_ids = set(
        Member.objects.filter(active_membership_exists(day), commune__isnull=False).values_list(
            "commune_id", flat=True
        )
    )
    member_epci_ids = set(
        Member.objects.filter(
            active_membership_exists(day), territory_epci__isnull=False
        ).values_list("territory_epci_id", flat=True)
    )
    communes = Commune.objects.filter(departement_id__in=departements).values_list(
        "pk", "population", "epci_id", "epci__name", "epci__siren"
    )
    per_epci: dict[int | None, Coverage] = {}
    epci_population: dict[int, int] = {}
    total = Coverage(_("Communes"), 0, 0, 0, 0)
    for pk, population, epci_id, epci_name, epci_siren in communes:
        row = per_epci.get(epci_id)
        if row is None:
            row = per_epci[epci_id] = Coverage(
                epci_name or _("Communes hors EPCI"), 0, 0, 0, 0, epci_siren or ""
            )
        is_member = pk in member_commune_ids
        for target in (row, total):
            target.total += 1
            target.population_total += population
            if is_member:
                target.covered += 1
                target.population_covered += population
        if epci_id is not None:
            epci_population[epci_id] = epci_population.get(epci_id, 0) + population
    epcis = Coverage(
        _("EPCI"),
        len(epci_population),
        len(member_epci_ids & epci_population.keys()),
        sum(epci_population.values()),
        sum(p for e, p in epci_population.items() if e in member_epci_ids),
    )
    population = Coverage(_("Population"), total.population_total, total.population_covered, 0, 0)
    rows = sorted(per_epci.values(), key=lambda c: c.label)
    return [total, epcis, population], rows


def subscriptions_running(member_id: int):
    """The member's souscriptions not ended today (running or starting later): what keeps
    being billed after its adhésion ends unless the operator ends them too."""
    from mutualis.catalog.models import Subscription

    return list(
        Subscription.objects.filter(member_id=member_id)
        .current_or_future()
        .select_related("service")
        .order_by("service__name", "start_date")
    )
