"""Reads of grouped purchasing: lists, needs overview, offer comparison, results, consumption.

Each function runs a fixed number of queries whatever the number of members or lots.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, Sum
from django.utils import timezone

from mutualis.members.models import Member
from mutualis.purchasing import savings
from mutualis.purchasing.models import (
    Campaign,
    Criterion,
    Invitation,
    Lot,
    Need,
    Offer,
    OfferScore,
    Order,
)

WARN_RATIO = Decimal("0.8")


def campaign_list(user):
    return (
        Campaign.objects.visible_to(user)
        .annotate(
            lot_count=Count("lots", distinct=True),
            invited_count=Count("invitations", distinct=True),
            answered_count=Count(
                "invitations",
                filter=Q(invitations__answered_at__isnull=False, invitations__withdrawn_at=None),
                distinct=True,
            ),
        )
        .order_by("-needs_deadline", "pk")
    )


def campaign_lots(campaign: Campaign):
    """Lots with the group's aggregated quantity and number of members needing them."""
    return (
        campaign.lots.annotate(total_quantity=Sum("needs__quantity"), need_count=Count("needs"))
        .select_related("awarded_offer__supplier", "award_decision")
        .order_by("number")
    )


def answer_status(invitation: Invitation, deadline: dt.date, today: dt.date) -> str:
    if invitation.withdrawn_at is not None:
        return "withdrawn"
    if invitation.answered_at is None:
        return "missing" if today > deadline else "pending"
    if timezone.localdate(invitation.answered_at) > deadline:
        return "late"
    return "answered"


@dataclass
class NeedsRow:
    invitation: Invitation
    status: str
    needs: dict[int, Need] = field(default_factory=dict)  # lot id -> need

    @property
    def member(self) -> Member:
        return self.invitation.member


def needs_overview(campaign: Campaign, today: dt.date | None = None) -> list[NeedsRow]:
    """One row per invited member with its answer status and its needs by lot: 2 queries."""
    today = today or timezone.localdate()
    rows = {
        invitation.member_id: NeedsRow(
            invitation, answer_status(invitation, campaign.needs_deadline, today)
        )
        for invitation in campaign.invitations.select_related("member").order_by(
            "member__name", "pk"
        )
    }
    for need in Need.objects.filter(lot__campaign=campaign):
        if need.member_id in rows:
            rows[need.member_id].needs[need.lot_id] = need
    return list(rows.values())


def status_counts(rows: list[NeedsRow]) -> dict[str, int]:
    counts = {"answered": 0, "late": 0, "pending": 0, "missing": 0, "withdrawn": 0}
    for row in rows:
        counts[row.status] += 1
    return counts


@dataclass
class OfferRow:
    offer: Offer
    unit_price: Decimal
    total_cents: int
    score: Decimal | None
    rank: int = 0
    scores: list = field(default_factory=list)  # per criterion, in criteria order


def lot_comparison(lot: Lot, criteria: list[Criterion]) -> tuple[Decimal, list[OfferRow]]:
    """The offers of a lot priced for the group's aggregated quantity, best first."""
    quantity = lot.needs.aggregate(total=Sum("quantity"))["total"] or Decimal(0)
    offers = list(
        lot.offers.select_related("supplier").prefetch_related(
            "tiers", Prefetch("scores", queryset=OfferScore.objects.order_by("criterion_id"))
        )
    )
    rows = []
    for offer in offers:
        price = savings.price_for_quantity(offer.tier_prices(), quantity)
        rows.append(OfferRow(offer, price, savings.amount_cents(quantity, price), None))
    scores = {(o.pk, s.criterion_id): s.score for o in offers for s in o.scores.all()}
    weighted = savings.weighted_scores(
        totals_cents={row.offer.pk: row.total_cents for row in rows},
        price_weight=lot.campaign.price_weight,
        criteria=[(c.pk, c.weight) for c in criteria],
        scores=scores,
    )
    for row in rows:
        row.score = weighted.get(row.offer.pk)
        row.scores = [scores.get((row.offer.pk, c.pk)) for c in criteria]
    rows.sort(key=lambda r: (-(r.score or 0), r.total_cents, r.offer.pk))
    for rank, row in enumerate(rows, start=1):
        row.rank = rank
    return quantity, rows


def best_offer_id(lot: Lot) -> int | None:
    """The best-ranked offer of the lot (the first row of the comparison), if any."""
    _quantity, rows = lot_comparison(lot, list(lot.campaign.criteria.all()))
    return rows[0].offer.pk if rows else None


@dataclass(frozen=True)
class Line:
    """A member × lot result, with the need it comes from (member and lot for display)."""

    need: Need
    result: savings.LineResult


def need_lines(campaign: Campaign, member: Member | None = None) -> list[Line]:
    """Savings of every participating member × awarded lot: 1 query."""
    needs = Need.objects.filter(
        lot__campaign=campaign, lot__awarded_unit_price__isnull=False
    ).select_related("lot", "member")
    if member is not None:
        needs = needs.filter(member=member)
    results = []
    for need in needs.order_by("member__name", "member_id", "lot__number"):
        line = savings.NeedLine(
            member_id=need.member_id,
            lot_id=need.lot_id,
            quantity=need.quantity,
            awarded_price=need.lot.awarded_unit_price,
            own_price=need.current_unit_price,
            market_price=need.lot.reference_unit_price,
            member_kind=need.member.kind,
            population=need.member.population,
        )
        results.append(Line(need, savings.line_result(line)))
    return results


@dataclass
class MemberResult:
    member: Member
    lines: list
    totals: savings.Totals


def campaign_results(campaign: Campaign) -> dict:
    lines = need_lines(campaign)
    per_member: dict[int, MemberResult] = {}
    for line in lines:
        entry = per_member.setdefault(
            line.need.member_id, MemberResult(line.need.member, [], savings.Totals())
        )
        entry.lines.append(line)
        entry.totals.add(line.result)
    results = [line.result for line in lines]
    communes = [r for r in results if r.line.member_kind == "commune"]
    return {
        "lines": lines,
        "members": list(per_member.values()),
        "totals": savings.totals(results),
        "by_kind": savings.totals_by(results, lambda r: r.line.member_kind),
        "by_band": savings.totals_by(
            communes, lambda r: savings.population_band(r.line.population)
        ),
    }


def alert_level(ordered: Decimal, ceiling: Decimal | None) -> str:
    if not ceiling:
        return ""
    ratio = ordered / ceiling
    if ratio > 1:
        return "over"
    if ratio >= WARN_RATIO:
        return "near"
    return ""


def percent(ordered: Decimal, ceiling: Decimal | None) -> int | None:
    if not ceiling:
        return None
    return int((ordered * 100 / ceiling).to_integral_value())


def consumption(campaign: Campaign, member: Member | None = None) -> dict:
    """Ordered against estimated quantities, per member and lot, and per lot against its
    maximum (or, without one, the group's estimate): 3 queries."""
    lots = list(campaign_lots(campaign))
    needs = Need.objects.filter(lot__campaign=campaign).select_related("member")
    ordered_qs = Order.objects.filter(lot__campaign=campaign)
    if member is not None:
        needs = needs.filter(member=member)
        ordered_qs = ordered_qs.filter(member=member)
    ordered: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    members: dict[int, Member] = {}
    for row in ordered_qs.values("member_id", "lot_id").annotate(total=Sum("quantity")):
        ordered[(row["member_id"], row["lot_id"])] = row["total"]
    estimated = {}
    for need in needs:
        estimated[(need.member_id, need.lot_id)] = need.quantity
        members[need.member_id] = need.member
    member_rows = []
    for member_id, mem in sorted(members.items(), key=lambda item: item[1].name):
        cells = []
        for lot in lots:
            estimate = estimated.get((member_id, lot.pk))
            done = ordered.get((member_id, lot.pk), Decimal(0))
            cells.append(
                {
                    "lot": lot,
                    "estimated": estimate,
                    "ordered": done,
                    "percent": percent(done, estimate),
                    "alert": alert_level(done, estimate),
                }
            )
        member_rows.append({"member": mem, "cells": cells})
    lot_rows = []
    lot_totals = defaultdict(Decimal)
    for (_member_id, lot_id), total in ordered.items():
        lot_totals[lot_id] += total
    for lot in lots:
        ceiling = lot.max_quantity or lot.total_quantity
        done = lot_totals.get(lot.pk, Decimal(0))
        lot_rows.append(
            {
                "lot": lot,
                "ceiling": ceiling,
                "is_maximum": lot.max_quantity is not None,
                "ordered": done,
                "percent": percent(done, ceiling),
                "alert": alert_level(done, ceiling),
            }
        )
    return {"lots": lots, "members": member_rows, "lot_rows": lot_rows}
