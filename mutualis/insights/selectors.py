"""What pooling brings one member in a year, read from the other apps: what it paid (titres
issued), what it used (readings), what it saved against going alone, its technician's days,
its sensors, and where it stands among members of similar size (anonymously)."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.billing.models import Invoice
from mutualis.catalog.models import Service
from mutualis.core.text import normalize_name
from mutualis.insights import arithmetic
from mutualis.insights.savings import (  # noqa: F401 (the page's reads, re-exported)
    Savings,
    exemptions,
    member_savings,
    paid_by_service,
    technician_days,
)
from mutualis.members.models import Member, Membership
from mutualis.members.size import SizeClass, size_class
from mutualis.metering.models import UsageRecord
from mutualis.surveys.selectors import MemberSatisfaction, member_satisfaction


def has_joined(member: Member) -> bool:
    """Whether the member has (or had) a membership: a commune that never joined has no
    savings to show."""
    return Membership.objects.filter(member=member).exists()


def listed_members(members: QuerySet[Member], query: str = "") -> QuerySet[Member]:
    """The members of the élus' list: those that have (or had) a membership, found by their
    normalised name (« begles » finds Bègles, « saint-emilion » Saint-Émilion)."""
    members = members.filter(Exists(Membership.objects.filter(member=OuterRef("pk"))))
    if query and (needle := normalize_name(query)):
        members = members.filter(search_name__contains=needle)
    return members


def default_year(member: Member) -> int:
    """The latest year with a titre issued to the member, else this year."""
    latest = Invoice.objects.filter(member=member).order_by("-year").values_list("year", flat=True)
    return latest.first() or timezone.localdate().year


@dataclass(frozen=True)
class UsageLine:
    service: Service
    quantity: Decimal
    reading: str


def usage_of_year(member: Member, year: int) -> list[UsageLine]:
    """Each service's quantity of the year, read as the service reads it (last, mean, max or
    sum of the readings)."""
    readings: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    records = UsageRecord.objects.filter(member=member, year=year).order_by("month", "pk")
    for record in records.values("service_id", "month", "period", "quantity"):
        readings[record["service_id"]].append((record["month"], record["quantity"]))
    services = Service.objects.in_bulk(list(readings))
    lines = []
    for service_id, values in readings.items():
        service = services[service_id]
        quantities = [q for _m, q in values]
        reading = service.yearly_reading
        if reading == "last":
            quantity = quantities[-1]
        elif reading == "mean":
            quantity = (sum(quantities) / len(quantities)).quantize(Decimal("0.001"))
        elif reading == "max":
            quantity = max(quantities)
        else:
            quantity = sum(quantities, Decimal(0))
        lines.append(UsageLine(service, quantity, service.get_yearly_reading_display()))
    lines.sort(key=lambda line: line.service.name)
    return lines


def sensor_count(member: Member) -> int | None:
    try:
        from mutualis.iot.models import Sensor
    except ImportError:  # pragma: no cover - iot is part of the project today
        return None
    return Sensor.objects.filter(member=member).count()


@dataclass(frozen=True)
class Comparison:
    label: str
    value: Decimal
    group: arithmetic.Quartiles | None
    position: str
    unit: str


def _paid_totals(year: int, peers) -> dict[int, int]:
    rows = (
        Invoice.objects.filter(year=year, member__in=peers)
        .values("member_id")
        .annotate(total=Sum("total_cents"))
    )
    return {row["member_id"]: row["total"] or 0 for row in rows}


def comparisons(member: Member, year: int, paid_total: int) -> tuple[str, list[Comparison]]:
    """The member's figures among members of the same kind and size class (itself
    included), as quartiles only: no other member is named nor can be singled out."""
    klass = size_class(member.population)
    peers = Member.objects.filter(kind=member.kind)
    peers = (
        peers.filter(Q(population__isnull=True) | Q(population=0))
        if klass == SizeClass.NO_POPULATION
        else peers.filter(population__gte=_lower(klass), population__lt=_upper(klass))
    )
    totals = _paid_totals(year, peers.values("pk"))
    totals.setdefault(member.pk, paid_total)
    populations = dict(peers.filter(pk__in=list(totals)).values_list("pk", "population"))
    group_label = f"{member.get_kind_display()} — {SizeClass(klass).label}"
    result = []
    paid_group = arithmetic.quartiles(totals.values())
    result.append(
        Comparison(
            _("Titres émis dans l'année (total)"),
            Decimal(paid_total),
            paid_group,
            arithmetic.position(paid_total, paid_group) if paid_group else "",
            "cents",
        )
    )
    if member.population:
        per_head = {
            pk: Decimal(total) / populations[pk]
            for pk, total in totals.items()
            if populations.get(pk)
        }
        mine = Decimal(paid_total) / member.population
        group = arithmetic.quartiles(per_head.values())
        result.append(
            Comparison(
                _("Payé par habitant"),
                mine,
                group,
                arithmetic.position(mine, group) if group else "",
                "cents",
            )
        )
    return group_label, result


def _lower(klass: str) -> int:
    from mutualis.members.size import BOUNDS

    return next(bound for bound, k in BOUNDS if k == klass)


def _upper(klass: str) -> int:
    from mutualis.members.size import BOUNDS

    bounds = [bound for bound, _k in BOUNDS]
    index = [k for _b, k in BOUNDS].index(klass)
    return bounds[index + 1] if index + 1 < len(bounds) else 10**12


@dataclass(frozen=True)
class MemberPage:
    member: Member
    year: int
    paid: list[tuple[str, int]]
    paid_total: int
    """The titres issued to the member (what the operator billed)."""
    usage: list[UsageLine]
    savings: Savings
    technician_days: Decimal
    sensors: int | None
    group_label: str
    comparisons: list[Comparison]
    joined: bool = True
    """False: the member never joined (« non adhérent »)."""
    support: Any = None
    """The member's support figures of the year (mutualis.support.selectors.MemberSupport)."""
    satisfaction: MemberSatisfaction | None = None
    """The year's satisfaction survey (surveys app); None: none was sent that year."""

    @property
    def purchases_paid(self) -> int:
        """Paid to the suppliers of grouped purchases (no titre: the member orders directly)."""
        return self.savings.outside_titres_cents

    @property
    def spent_total(self) -> int:
        """Everything the member paid for pooling: titres and grouped purchases — the same
        spending as the savings' « payé »."""
        return self.paid_total + self.purchases_paid


def member_page(member: Member, year: int) -> MemberPage:
    paid = paid_by_service(member, year)
    names = dict(Service.objects.filter(pk__in=[k for k in paid if k]).values_list("pk", "name"))
    paid_rows = sorted(
        ((names.get(pk, _("Corrections sans service")), cents) for pk, cents in paid.items()),
        key=lambda row: row[0],
    )
    total = sum(paid.values())
    group_label, compared = comparisons(member, year, total)
    return MemberPage(
        member=member,
        year=year,
        paid=paid_rows,
        paid_total=total,
        usage=usage_of_year(member, year),
        savings=member_savings(member, year, paid),
        technician_days=technician_days(member, year),
        sensors=sensor_count(member),
        group_label=group_label,
        comparisons=compared,
        joined=has_joined(member),
        support=support_of_year(member, year),
        satisfaction=member_satisfaction(member, year),
    )


def support_of_year(member: Member, year: int):
    from mutualis.support.elus import member_year

    return member_year(member, year)
