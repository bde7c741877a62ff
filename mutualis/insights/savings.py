"""What a member saved against going alone in a year, part by part (grouped purchases,
pooled services, shared staff), each line with its method, its source, the exemption that
spared the member and, when negative, why — read from the titres, the needs and the
technician's days. The arithmetic is in :mod:`mutualis.insights.arithmetic`."""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from mutualis.billing.models import InvoiceLine
from mutualis.billing.money import format_euros
from mutualis.billing.prices import EXEMPTION
from mutualis.catalog.models import ReferencePrice, Service
from mutualis.insights import arithmetic
from mutualis.insights.models import savings_reference
from mutualis.members.models import Member
from mutualis.members.size import SizeClass, size_class
from mutualis.purchasing import savings as purchasing_savings
from mutualis.purchasing.models import Campaign, Need
from mutualis.staffing import calendar as staffing_calendar
from mutualis.staffing.models import StaffingAgreement, WorkLogEntry


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


def technician_days(member: Member, year: int) -> Decimal:
    """Days (and half-days) of the shared technician at the member, as billed: days whose
    contest was accepted, and days contested without answer, are not counted."""
    halves = WorkLogEntry.objects.filter(member=member, date__year=year).billable()
    return sum(
        (staffing_calendar.days_of(half) for half in halves.values_list("half", flat=True)),
        Decimal(0),
    )


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
