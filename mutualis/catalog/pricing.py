"""Prices shown to a member in « Mon espace » and its catalogue.

They come from billing (the adopted tariffs computed by the engine, the issued titres), which
sits below the catalogue in the order of the apps: billing registers its provider when Django
is ready (``billing/apps.py``) and the portal asks through this module, never importing
billing. Without a provider (billing not installed) the portal shows no price.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True)
class Estimate:
    """A member's estimated cost of a service for a year, and how it was obtained."""

    cents: int | None
    """None: no estimate (``basis`` says why)."""
    basis: str
    """« sur vos consommations de 2026 », « sur votre estimation : 40 comptes »…"""
    tariff: str = ""
    needs_quantity: bool = False
    """The member has no usage of the service: an estimate of its quantity is asked."""
    exemption: str = ""
    """The tariff's exemption that applies to the member (it owes nothing): shown as
    « exonéré (motif) » rather than a bare 0,00 €."""


@dataclass(frozen=True)
class Paid:
    """What a member was billed for a service in a year and the year before (titres issued,
    reductions and cancellations deducted)."""

    service: str
    this_year_cents: int | None
    last_year_cents: int | None
    """None: no titre issued for that service in that year (not the same as 0,00 €)."""
    exemption: str = ""
    """The tariff's exemption that made this year's amount 0 (« exonéré (motif) »)."""


class PriceProvider(Protocol):
    def estimates(
        self, member, services: Sequence, quantities: Mapping[int, Decimal]
    ) -> dict[int, Estimate]: ...

    def paid(self, member, year: int) -> list[Paid]: ...


_provider: PriceProvider | None = None


def register(provider: PriceProvider) -> None:
    global _provider
    _provider = provider


def estimates(member, services: Sequence, quantities: Mapping[int, Decimal]) -> dict[int, Estimate]:
    """service pk → its estimate for `member` (`quantities`: entered estimates by service pk)."""
    return _provider.estimates(member, services, quantities) if _provider else {}


def paid(member, year: int) -> list[Paid]:
    return _provider.paid(member, year) if _provider else []
