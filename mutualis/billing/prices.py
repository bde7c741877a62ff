"""What a member would pay for a service, and what it paid: the prices of « Mon espace ».

An estimate is the engine run on the adopted tariff (never a second computation of the
tariff): the member subscribed for the whole year, with its readings of the latest year it
has, or the quantity its agent enters. A priced tariff (components) reads only the member's
own figures, so only its rows go to the engine; a cost-sharing tariff shares a cost among
all subscribers, so everyone's subscriptions and usage of that year go with it, the member's
joining included (its arrival lowers the others' shares, not the total).

What was paid is read from the titres issued to the member (reductions and cancellations
deducted), by service and year.

The estimates of a member are kept in Django's cache, keyed by the services and tariffs
(pk and last change), the member, the quantities entered, and a stamp of the data the engine
reads (readings, subscriptions, members: count, last pk, last change): a new reading or
subscription anywhere computes again. A change that bypasses ``save()`` (a queryset
``update()``) is picked up after at most :data:`CACHE_SECONDS`.
"""

import datetime as dt
import hashlib
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.billing.inputs import EngineFrames, members_frame
from mutualis.billing.models import InvoiceLine, Tariff
from mutualis.billing.money import format_quantity
from mutualis.billing.services.runs import compute
from mutualis.billing.services.tariffs import engine_tariff
from mutualis.catalog.models import Service, Subscription
from mutualis.catalog.pricing import Estimate, Paid
from mutualis.engine import RebillKey, Scope, SubscriptionColumns, UsageColumns
from mutualis.engine import Tariff as EngineTariff
from mutualis.members.models import Member
from mutualis.metering.models import PERIOD_MONTHS, UsageRecord

MAX_TARIFF_YEAR_AHEAD = 1
EXEMPTION = re.compile(r"exonération (.+?) : oui")
"""How the engine's explanation of a charge line says the member was exempted."""


def adopted_tariffs(services: Sequence[Service], today: dt.date) -> dict[int, Tariff]:
    """service pk → its adopted tariff of the latest year (up to next year)."""
    tariffs = (
        Tariff.objects.adopted()
        .filter(service__in=services, year__lte=today.year + MAX_TARIFF_YEAR_AHEAD)
        .select_related("service")
        .order_by("service_id", "-year")
    )
    latest: dict[int, Tariff] = {}
    for tariff in tariffs:
        latest.setdefault(tariff.service_id, tariff)
    return latest


def _usage_years(member: Member, services: Sequence[Service], today: dt.date) -> dict[int, int]:
    """service pk → the latest year (up to this one) in which the member has readings."""
    rows = (
        UsageRecord.objects.filter(member=member, service__in=services, year__lte=today.year)
        .values("service_id")
        .annotate(year=Max("year"))
    )
    return {row["service_id"]: row["year"] for row in rows}


def _subscriptions(member: Member, year: int, services: Sequence[Service], sharing: set[int]):
    """Everyone's subscriptions of the cost-sharing services, and the member's own for the
    whole year for every service (with its scope when it already subscribes)."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    columns = SubscriptionColumns()
    overlapping = Subscription.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=first), start_date__lte=last
    )
    others = overlapping.filter(service_id__in=sharing).exclude(member=member)
    mine = Subscription.objects.filter(member=member).current_or_future().select_related("service")
    own = {s.service_id: s for s in mine.prefetch_related("covered_establishments")}
    covered: dict[int, list[str]] = defaultdict(list)
    through = Subscription.covered_establishments.through.objects.filter(
        subscription_id__in=others.values("pk")
    )
    for subscription_id, member_id in through.values_list("subscription_id", "member_id"):
        covered[subscription_id].append(str(member_id))
    rows = others.order_by("pk").values_list(
        "pk",
        "member_id",
        "service__code",
        "scope",
        "start_date",
        "end_date",
        "rebill_key",
        "rebill_own_key",
    )
    for pk, member_id, code, scope, start, end, rebill, rebill_own in rows:
        columns.add(
            str(member_id),
            code,
            Scope(scope),
            start,
            end,
            sorted(covered.get(pk, ())),
            RebillKey(rebill) if rebill else None,
            RebillKey(rebill_own) if rebill_own else None,
        )
    for service in services:
        subscription = own.get(service.pk)
        if subscription is not None:
            args = _subscription_args(subscription, first)
            columns.add(*args[:3], first, None, *args[5:])
        else:
            columns.add(str(member.pk), service.code, Scope.SELF, first, None)
    return columns.frame()


def _subscription_args(subscription: Subscription, start: dt.date) -> tuple:
    return (
        str(subscription.member_id),
        subscription.service.code,
        Scope(subscription.scope),
        start,
        subscription.end_date,
        [str(m.pk) for m in subscription.covered_establishments.all()],
        RebillKey(subscription.rebill_key) if subscription.rebill_key else None,
        RebillKey(subscription.rebill_own_key) if subscription.rebill_own_key else None,
    )


def _usage(
    member: Member,
    year: int,
    services: Sequence[Service],
    sharing: set[int],
    wide: set[int],
    quantities: Mapping[int, Decimal],
) -> UsageColumns:
    """Readings of `year`: the member's own (or its entered quantity, placed on December),
    everyone's for a cost-sharing service or one the member subscribes for others (`wide`)."""
    usage = UsageColumns()
    everyone = sharing | wide
    own_read = [s.pk for s in services if s.pk not in everyone and s.pk not in quantities]
    records = (
        UsageRecord.objects.filter(year=year)
        .filter(Q(service_id__in=everyone) | Q(service_id__in=own_read, member=member))
        .exclude(member=member, service_id__in=list(quantities))
    )
    rows = records.values_list("member_id", "service__code", "period", "month", "quantity")
    for member_id, code, period, month, quantity in rows.order_by("pk").iterator(2000):
        usage.add(str(member_id), code, year, month + PERIOD_MONTHS[period] - 1, quantity)
    codes = {s.pk: s.code for s in services}
    for service_id, quantity in quantities.items():
        if service_id in codes:
            usage.add(str(member.pk), codes[service_id], year, 12, quantity)
    return usage


def _reads_quantity(tariff: EngineTariff) -> bool:
    """Whether the member's quantity changes its amount (else its kind and size decide)."""
    if tariff.cost_sharing is not None:
        return True
    return any("quantity" in component.measures_read() for component in tariff.components)


CACHE_SECONDS = 300


def data_stamp() -> tuple:
    """What changes when anything the engine reads for an estimate changes: three aggregate
    queries (count, last pk, last change) on readings, subscriptions and members."""
    stamp: list = []
    for model in (UsageRecord, Subscription, Member):
        row = model.objects.order_by().aggregate(
            n=Count("pk"), last=Max("pk"), at=Max("updated_at")
        )
        stamp += [row["n"], row["last"], row["at"]]
    return tuple(stamp)


def _cache_key(key: tuple) -> str:
    return "prices:estimates:" + hashlib.sha256(repr(key).encode()).hexdigest()


class EnginePrices:
    """The provider of :mod:`mutualis.catalog.pricing`, registered by billing's AppConfig."""

    def estimates(
        self,
        member: Member,
        services: Sequence[Service],
        quantities: Mapping[int, Decimal],
        today: dt.date | None = None,
    ) -> dict[int, Estimate]:
        today = today or timezone.localdate()
        tariffs = adopted_tariffs(services, today)
        key = (
            member.pk,
            member.updated_at,
            today,
            tuple((s.pk, s.updated_at) for s in services),
            tuple(sorted((pk, t.pk, t.updated_at) for pk, t in tariffs.items())),
            tuple(sorted(quantities.items())),
            data_stamp(),
        )
        cached = cache.get(_cache_key(key))
        if cached is not None:
            return dict(cached)
        estimates = self._estimates(member, services, quantities, today, tariffs)
        cache.set(_cache_key(key), estimates, CACHE_SECONDS)
        return estimates

    def _estimates(self, member, services, quantities, today, tariffs) -> dict[int, Estimate]:
        years = _usage_years(member, services, today)
        estimates: dict[int, Estimate] = {}
        by_year: dict[int, list[Service]] = defaultdict(list)
        for service in services:
            tariff = tariffs.get(service.pk)
            if tariff is None:
                estimates[service.pk] = Estimate(None, _("pas encore de tarif adopté"))
                continue
            if service.pk in quantities:
                by_year[tariff.year].append(service)
            elif service.pk in years:
                by_year[years[service.pk]].append(service)
            else:
                by_year[tariff.year].append(service)
        for year, group in by_year.items():
            estimates.update(self._compute(member, year, group, tariffs, years, quantities))
        return estimates

    def _compute(self, member, year, services, tariffs, years, quantities) -> dict[int, Estimate]:
        parsed = {s.pk: engine_tariff(tariffs[s.pk], year=year) for s in services}
        sharing = {pk for pk, t in parsed.items() if t.cost_sharing is not None}
        wide = set(
            Subscription.objects.filter(member=member, service__in=services)
            .current_or_future()
            .exclude(scope="self")
            .values_list("service_id", flat=True)
        )
        frames = EngineFrames(
            members=members_frame(),
            subscriptions=_subscriptions(member, year, services, sharing),
            usage=_usage(member, year, services, sharing, wide, quantities).frame(),
        )
        ordered = [tariffs[s.pk] for s in services]
        try:
            results = compute(tariffs=ordered, frames=frames, year=year).results
        except ValueError as error:  # a quantity outside the voted bands, say
            return {s.pk: Estimate(None, str(error)) for s in services}
        estimates = {}
        me = str(member.pk)
        for tariff, result in results:
            mine = [
                charge
                for charge in result.charges(explain=False)
                if charge.payer_id == me and not charge.issuer_id
            ]
            cents = sum(charge.amount_cents for charge in mine)
            service = tariff.service
            label = _("tarif %(year)s adopté") % {"year": tariff.year}
            exemption = next((c.exemption for c in mine if c.member_id == me and c.exemption), "")
            if cents:
                exemption = ""
            if service.pk in quantities:
                basis = _("sur votre estimation : %(q)s %(unit)s") % {
                    "q": format_quantity(quantities[service.pk]),
                    "unit": service.get_unit_display(),
                }
                estimates[service.pk] = Estimate(cents, basis, label, exemption=exemption)
            elif service.pk in years:
                basis = _("sur vos consommations de %(year)s") % {"year": year}
                estimates[service.pk] = Estimate(cents, basis, label, exemption=exemption)
            elif not _reads_quantity(parsed[service.pk]):
                basis = _("selon votre collectivité (nature, population)")
                estimates[service.pk] = Estimate(cents, basis, label, exemption=exemption)
            else:
                basis = _("indiquez une estimation de votre consommation")
                estimates[service.pk] = Estimate(None, basis, label, needs_quantity=True)
        return estimates

    def paid(self, member: Member, year: int) -> list[Paid]:
        """By service: the titres of `year` and `year - 1` issued to the member."""
        lines = (
            InvoiceLine.objects.filter(invoice__member=member, invoice__year__in=[year, year - 1])
            .values("service__name", "invoice__year")
            .annotate(total=Sum("amount_cents"))
        )
        totals: dict[str, list[int | None]] = defaultdict(lambda: [None, None])
        for row in lines:
            name = row["service__name"] or _("Corrections sans service")
            index = 0 if row["invoice__year"] == year else 1
            totals[name][index] = (totals[name][index] or 0) + (row["total"] or 0)
        exempted: dict[str, str] = {}
        own = InvoiceLine.objects.filter(
            invoice__member=member,
            invoice__year=year,
            member=member,
            explanation__contains="exonération ",
        )
        for name, text in own.values_list("service__name", "explanation"):
            if name and (match := EXEMPTION.search(text)):
                exempted.setdefault(name, match.group(1))
        return [
            Paid(name, now, before, exempted.get(name, "") if now == 0 else "")
            for name, (now, before) in sorted(totals.items())
        ]
