"""The whole budget at once, before the vote: every service of a year under its draft tariff
(the latest draft newer than the adopted version) against its adopted one, per member, with
winners, losers and the operator's balance. Nothing is written.

The engine computes both sides on the same inputs (one read of the database, one
``allocate_many`` per side); a service without a draft is the same on both sides.
"""

from dataclasses import dataclass, field

from mutualis.billing.inputs import build_frames
from mutualis.billing.models import Tariff, TariffStatus
from mutualis.billing.services.runs import compute
from mutualis.billing.services.simulation import Balance, MemberChange, Simulation, _amounts
from mutualis.engine import member_details


@dataclass(frozen=True)
class ServiceLine:
    service: str
    base: Tariff
    candidate: Tariff
    base_cents: int
    candidate_cents: int
    net_cost_cents: int | None

    @property
    def diff_cents(self) -> int:
        return self.candidate_cents - self.base_cents

    @property
    def changed(self) -> bool:
        return self.base.pk != self.candidate.pk


@dataclass
class BudgetSimulation(Simulation):
    services: list[ServiceLine] = field(default_factory=list)


def budget_tariffs(year: int) -> list[tuple[Tariff, Tariff]]:
    """(adopted, candidate) of each service of `year` that has an adopted version: the
    candidate is its latest draft of a higher version, else the adopted version itself."""
    versions = Tariff.objects.filter(year=year).select_related("service").order_by("version")
    adopted: dict[int, Tariff] = {}
    drafts: dict[int, Tariff] = {}
    for tariff in versions:
        if tariff.status == TariffStatus.ADOPTED:
            adopted[tariff.service_id] = tariff
        elif tariff.status == TariffStatus.DRAFT:
            drafts[tariff.service_id] = tariff
    pairs = []
    for service_id, base in adopted.items():
        draft = drafts.get(service_id)
        candidate = draft if draft is not None and draft.version > base.version else base
        pairs.append((base, candidate))
    pairs.sort(key=lambda pair: pair[0].service.name)
    return pairs


def simulate_budget(*, year: int) -> BudgetSimulation:
    pairs = budget_tariffs(year)
    frames = build_frames(year=year, service_ids=[base.service_id for base, _c in pairs])
    base_results = compute(tariffs=[b for b, _c in pairs], frames=frames, year=year).results
    changed = [c for b, c in pairs if c.pk != b.pk]
    candidate_results = dict(
        (t.pk, r) for t, r in compute(tariffs=changed, frames=frames, year=year).results
    )
    base_totals: dict[int, int] = {}
    candidate_totals: dict[int, int] = {}
    services = []
    charged = [0, 0]
    net = [0, 0]
    unallocated = [0, 0]
    for (base, candidate), (_t, base_result) in zip(pairs, base_results, strict=True):
        candidate_result = candidate_results.get(candidate.pk, base_result)
        sides = ((base_totals, base_result), (candidate_totals, candidate_result))
        for side, (totals, result) in enumerate(sides):
            for member_id, cents in _amounts(result).items():
                totals[member_id] = totals.get(member_id, 0) + cents
            charged[side] += result.total_cents()
            net[side] += result.net_cost_cents or 0
            unallocated[side] += result.unallocated_cents
        services.append(
            ServiceLine(
                service=base.service.name,
                base=base,
                candidate=candidate,
                base_cents=base_result.total_cents(),
                candidate_cents=candidate_result.total_cents(),
                net_cost_cents=candidate_result.net_cost_cents,
            )
        )
    names = {int(pk): (name, population) for pk, name, population in member_details(frames.members)}
    rows = [
        MemberChange(
            member_id=pk,
            name=names.get(pk, ("?", 0))[0],
            population=names.get(pk, ("?", 0))[1],
            base_cents=base_totals.get(pk, 0),
            candidate_cents=candidate_totals.get(pk, 0),
        )
        for pk in sorted(set(base_totals) | set(candidate_totals))
    ]
    rows.sort(key=lambda r: (r.name, r.member_id))
    return BudgetSimulation(
        year=year,
        base=Balance("adopted", charged[0], net[0] or None, unallocated[0]),
        candidate=Balance("draft", charged[1], net[1] or None, unallocated[1]),
        rows=rows,
        services=services,
    )
