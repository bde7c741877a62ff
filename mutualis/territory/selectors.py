"""Reads on the territory, for the rest of the application."""

from __future__ import annotations

import re

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When

from mutualis.core.text import normalize_name
from mutualis.territory.models import Commune, Departement, Epci, Region

_INSEE_CODE = re.compile(r"^(\d[\dAB]\d{3})$", flags=re.IGNORECASE)
_SIREN = re.compile(r"^\d{9}$")


def _epci_filter(epci: Epci | int | str) -> Q:
    """An Epci, its id (int) or its SIREN (str) as a filter on Commune."""
    if isinstance(epci, Epci):
        return Q(epci_id=epci.pk)
    if isinstance(epci, int):
        return Q(epci_id=epci)
    return Q(epci__siren=epci)


def commune_get(insee_code: str) -> Commune | None:
    return (
        Commune.objects.select_related("departement__region", "epci")
        .filter(insee_code=insee_code.strip().upper())
        .first()
    )


def epci_get(siren: str) -> Epci | None:
    return Epci.objects.filter(siren=siren.strip()).first()


def communes_of_epci(epci: Epci | int | str) -> QuerySet[Commune]:
    """The member communes of an EPCI (object, id or SIREN), by name."""
    return (
        Commune.objects.filter(_epci_filter(epci))
        .select_related("departement")
        .order_by("name", "insee_code")
    )


def communes_of_departement(code: str) -> QuerySet[Commune]:
    return (
        Commune.objects.filter(departement__code=code)
        .select_related("epci")
        .order_by("name", "insee_code")
    )


def epcis_of_departement(code: str) -> QuerySet[Epci]:
    """EPCIs with at least one commune in the département, with that number of communes."""
    return (
        Epci.objects.filter(communes__departement__code=code)
        .annotate(communes_in_departement=Count("communes"))
        .order_by("name")
    )


def departements_of_epci(epci: Epci | int | str) -> QuerySet[Departement]:
    """The départements an EPCI spans (most span one; some span two or three)."""
    ids = Commune.objects.filter(_epci_filter(epci)).values("departement_id")
    return Departement.objects.filter(id__in=ids).order_by("code")


def departements_of_region(code: str) -> QuerySet[Departement]:
    return Departement.objects.filter(region__code=code).order_by("code")


def regions() -> QuerySet[Region]:
    return Region.objects.order_by("code")


def epci_summary(epci: Epci | int | str) -> dict[str, int]:
    """Number of member communes and the sum of their populations."""
    totals = Commune.objects.filter(_epci_filter(epci)).aggregate(
        communes=Count("id"), population=Sum("population")
    )
    return {"communes": totals["communes"], "population": totals["population"] or 0}


def search_communes(
    query: str, *, departement: str | None = None, limit: int | None = 20
) -> QuerySet[Commune]:
    """Communes matching a name (accents and case ignored), an INSEE code or a SIREN.

    Exact code matches come first, then names starting with the query, then the others;
    within each group, the most populated first.
    """
    query = query.strip()
    communes = Commune.objects.select_related("departement", "epci")
    if departement:
        communes = communes.filter(departement__code=departement)
    if not query:
        return communes.none()
    if _SIREN.match(query):
        return communes.filter(siren=query)[:limit]
    if _INSEE_CODE.match(query):
        return communes.filter(insee_code=query.upper())[:limit]
    normalized = normalize_name(query)
    if not normalized:
        return communes.none()
    condition = Q(search_name__contains=normalized) | Q(name__icontains=query)
    if query.isdigit():
        # A partial code: "330" finds the communes of Gironde whose code starts with it.
        condition |= Q(insee_code__startswith=query)
    matches = communes.filter(condition).annotate(
        rank=Case(
            When(insee_code=query, then=Value(0)),
            When(search_name=normalized, then=Value(1)),
            When(search_name__startswith=normalized, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
    )
    return matches.order_by("rank", "-population", "name")[:limit]


def search_epcis(query: str, *, limit: int | None = 20) -> QuerySet[Epci]:
    """EPCIs matching a name (accents and case ignored) or a SIREN."""
    query = query.strip()
    if not query:
        return Epci.objects.none()
    if _SIREN.match(query):
        return Epci.objects.filter(siren=query)[:limit]
    normalized = normalize_name(query)
    if not normalized:
        return Epci.objects.none()
    matches = Epci.objects.filter(
        Q(search_name__contains=normalized) | Q(name__icontains=query)
    ).annotate(
        rank=Case(
            When(search_name__startswith=normalized, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    )
    return matches.order_by("rank", "-population", "name")[:limit]
