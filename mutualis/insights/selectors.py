"""What pooling brings one member in a year, read from the other apps: what it paid (titres
issued), what it used (readings), what it saved against going alone, its technician's days,
its sensors, and where it stands among members of similar size (anonymously)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.billing.models import Invoice, InvoiceLine
from mutualis.billing.money import format_euros
from mutualis.billing.prices import EXEMPTION
from mutualis.catalog.models import ReferencePrice, Service
from mutualis.core.text import normalize_name
from mutualis.insights import arithmetic
from mutualis.insights.models import savings_reference
from mutualis.members.models import Member, Membership
from mutualis.members.size import SizeClass, size_class
from mutualis.metering.models import UsageRecord
from mutualis.purchasing import savings as purchasing_savings
from mutualis.purchasing.models import Campaign, Need
from mutualis.staffing import calendar as staffing_calendar
from mutualis.staffing.models import StaffingAgreement, WorkLogEntry


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


def paid_by_service(member: Member, year: int) -> dict[int | None, int]:
    """service pk (None: a correction without service) → cents of the titres of `year`."""
    rows = (
        InvoiceLine.objects.filter(invoice__member=member, invoice__year=year)
        .values("service_id")
        .annotate(total=Sum("amount_cents"))
    )
    return {row["service_id"]: row["total"] or 0 for row in rows}


def exemptions(member: Member, year: int) -> dict[int, str]:
    """service pk → the exemption (its label) that spared the member in the titres of `year`."""
    lines = InvoiceLine.objects.filter(
        invoice__member=member,
        invoice__year=year,
        member=member,
        service__isnull=False,
        explanation__contains="exonération ",
    )
    found: dict[int, str] = {}
    for service_id, text in lines.values_list("service_id", "explanation"):
        if match := EXEMPTION.search(text):
            found.setdefault(service_id, match.group(1))
    return found


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


def technician_days(member: Member, year: int) -> Decimal:
    """Days (and half-days) of the shared technician at the member, as billed: days whose
    contest was accepted, and days contested without answer, are not counted."""
    halves = WorkLogEntry.objects.filter(member=member, date__year=year).billable()
    return sum(
        (staffing_calendar.days_of(half) for half in halves.values_list("half", flat=True)),
        Decimal(0),
    )


def sensor_count(member: Member) -> int | None:
    try:
        from mutualis.iot.models import Sensor
    except ImportError:  # pragma: no cover - iot is part of the project today
        return None
    return Sensor.objects.filter(member=member).count()


def _purchases(member: Member, year: int, fee_paid: int) -> arithmetic.SavingsPart:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    needs = Need.objects.filter(
        member=member,
        lot__awarded_unit_price__isnull=False,
        lot__campaign__contract_start__lte=last,
        lot__campaign__contract_end__gte=first,
    ).select_related("lot", "lot__campaign")
    lines = []
    for need in needs.order_by("lot__campaign__name", "lot__number"):
        result = purchasing_savings.line_result(
            purchasing_savings.NeedLine(
                member_id=member.pk,
                lot_id=need.lot_id,
                quantity=need.quantity,
                awarded_price=need.lot.awarded_unit_price,
                own_price=need.current_unit_price,
                market_price=need.lot.reference_unit_price,
            )
        )
        if result.basis == purchasing_savings.ReferenceBasis.OWN:
            method = _("votre prix actuel déclaré dans le recueil des besoins")
        elif result.basis == purchasing_savings.ReferenceBasis.MARKET:
            method = _("le prix de marché de référence du lot")
        else:
            method = _("aucun prix de référence : pas d'économie comptée")
        lines.append(
            arithmetic.Saving(
                label=f"{need.lot.campaign.name} — {need.lot.name}",
                paid_cents=result.amount_cents,
                alone_cents=result.alone_cents,
                method=method,
                outside_titres=True,
                note=_("le prix obtenu par le groupement dépasse le prix seul pris comme référence")
                if result.alone_cents is not None and result.alone_cents < result.amount_cents
                else "",
            )
        )
    if fee_paid:
        lines.append(
            arithmetic.Saving(
                label=_("Frais de coordination des achats groupés"),
                paid_cents=fee_paid,
                alone_cents=0,
                method=_("un coût de la mutualisation : déduit de l'économie"),
            )
        )
    return arithmetic.SavingsPart(
        _("Achats groupés"),
        _(
            "Pour chaque lot attribué d'un marché en cours pendant l'année : quantité annuelle "
            "× prix seul (votre prix actuel, sinon le prix de marché du lot), moins quantité × "
            "prix obtenu ; les frais de coordination payés sont déduits."
        ),
        tuple(lines),
    )


def _pooled(
    member: Member, paid: dict[int | None, int], excluded: set[int], exempted: dict[int, str]
) -> arithmetic.SavingsPart:
    klass = size_class(member.population)
    services = Service.objects.in_bulk([pk for pk in paid if pk is not None and pk not in excluded])
    references = {
        r.service_id: r
        for r in ReferencePrice.objects.filter(service__in=list(services), size_class=klass)
    }
    lines = []
    for pk, service in sorted(services.items(), key=lambda item: item[1].name):
        reference = references.get(pk)
        exemption = exempted.get(pk, "") if not paid[pk] else ""
        if reference is None:
            lines.append(
                arithmetic.Saving(
                    service.name,
                    paid[pk],
                    None,
                    _("pas de prix « seul » pour la taille « %(c)s » : pas d'économie comptée")
                    % {"c": SizeClass(klass).label},
                    exemption=exemption,
                )
            )
            continue
        price = format_euros(reference.yearly_cents)
        if exemption:
            method = _(
                "exonéré (%(why)s) : le syndicat ne vous facture pas ce service ; l'économie "
                "comptée est le prix seul entier d'une collectivité « %(c)s » (%(price)s par an)"
            ) % {"why": exemption, "c": SizeClass(klass).label, "price": price}
        else:
            method = _("prix seul d'une collectivité « %(c)s » : %(price)s par an") % {
                "c": SizeClass(klass).label,
                "price": price,
            }
        note = ""
        if paid[pk] > reference.yearly_cents:
            note = _(
                "le syndicat a facturé ce service %(paid)s, plus que le prix seul d'une "
                "collectivité de votre taille (%(price)s)"
            ) % {"paid": format_euros(paid[pk]), "price": price}
        lines.append(
            arithmetic.Saving(
                service.name,
                paid[pk],
                reference.yearly_cents,
                method,
                reference.source,
                exemption=exemption,
                note=note,
            )
        )
    return arithmetic.SavingsPart(
        _("Services mutualisés"),
        _(
            "Pour chaque service payé dans l'année : le prix de référence d'une collectivité "
            "de votre taille qui l'achèterait seule, pour une année entière, moins ce que vous "
            "avez payé (titres émis). Un service dont vous êtes exonéré est marqué « exonéré » : "
            "l'économie comptée est alors le prix seul entier."
        ),
        tuple(lines),
    )


def _staff(member: Member, year: int, days: Decimal, paid_cents: int) -> arithmetic.SavingsPart:
    reference = savings_reference()
    lines = []
    if days or paid_cents:
        day_cost = reference.staff_day_cost_cents
        alone = arithmetic.days_cost_cents(days, day_cost) if day_cost else None
        method = (
            _("%(days)s jours × %(cost)s, coût d'une journée d'un technicien recruté seul")
            % {"days": str(days).replace(".", ","), "cost": format_euros(day_cost)}
            if day_cost
            else _("pas de coût de référence d'une journée : pas d'économie comptée")
        )
        note = ""
        if alone is not None and paid_cents > alone and days:
            per_day = int((Decimal(paid_cents) / days).quantize(Decimal(1), rounding=ROUND_HALF_UP))
            note = _(
                "le jour facturé par le syndicat (%(billed)s) dépasse le coût d'un jour "
                "recruté seul (%(alone)s)"
            ) % {"billed": format_euros(per_day), "alone": format_euros(day_cost)}
        elif alone is not None and paid_cents > alone:
            note = _("payé sans jour passé chez vous dans l'année")
        lines.append(
            arithmetic.Saving(
                _("Informaticien mutualisé"),
                paid_cents,
                alone,
                method,
                reference.staff_day_cost_source,
                note=note,
            )
        )
    return arithmetic.SavingsPart(
        _("Personnel partagé"),
        _(
            "Les jours de l'informaticien mutualisé passés chez vous dans l'année, au coût "
            "d'une journée d'un technicien que vous recruteriez seul à temps partiel, moins ce "
            "que vous avez payé pour ces jours."
        ),
        tuple(lines),
    )


@dataclass(frozen=True)
class Savings:
    parts: tuple[arithmetic.SavingsPart, ...]

    @property
    def total_cents(self) -> int | None:
        return arithmetic.total_saving(self.parts)

    @property
    def alone_cents(self) -> int:
        return sum(p.alone_cents for p in self.parts)

    @property
    def rate(self) -> Decimal | None:
        return arithmetic.rate(self.total_cents, self.alone_cents)

    @property
    def outside_titres_cents(self) -> int:
        """What the member paid directly to the suppliers of grouped purchases."""
        return sum(line.paid_cents for p in self.parts for line in p.lines if line.outside_titres)


def member_savings(member: Member, year: int, paid: dict[int | None, int] | None = None) -> Savings:
    """Savings of `member` in `year` against going alone (see mutualis.insights.arithmetic)."""
    paid = paid_by_service(member, year) if paid is None else paid
    staff_services = set(
        StaffingAgreement.objects.filter(member=member).values_list("service_id", flat=True)
    )
    fee_services = set(
        Campaign.objects.filter(fee_service__isnull=False).values_list("fee_service_id", flat=True)
    )
    days = technician_days(member, year)
    return Savings(
        (
            _purchases(member, year, sum(paid.get(pk, 0) for pk in fee_services)),
            _pooled(member, paid, staff_services | fee_services, exemptions(member, year)),
            _staff(member, year, days, sum(paid.get(pk, 0) for pk in staff_services)),
        )
    )


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
    )
