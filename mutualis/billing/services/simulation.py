"""Simulation before the vote: a candidate tariff against a base (another version, or the
amounts of a stored run) on the same usage. Nothing is written."""

from dataclasses import dataclass, field

from mutualis.billing.inputs import build_frames
from mutualis.billing.models import AllocationRun, Tariff
from mutualis.billing.money import euros_decimal, format_percent
from mutualis.billing.services.runs import compute
from mutualis.engine import AllocationResult, member_details

TOP = 10


@dataclass(frozen=True)
class Balance:
    label: str
    charged_cents: int
    net_cost_cents: int | None = None
    unallocated_cents: int = 0


@dataclass(frozen=True)
class MemberChange:
    member_id: int
    name: str
    population: int
    base_cents: int
    candidate_cents: int

    @property
    def diff_cents(self) -> int:
        return self.candidate_cents - self.base_cents

    @property
    def percent(self) -> str:
        return format_percent(self.diff_cents, self.base_cents)


@dataclass
class Simulation:
    year: int
    base: Balance
    candidate: Balance
    rows: list[MemberChange] = field(default_factory=list)

    @property
    def losers(self) -> list[MemberChange]:
        """Who pays more, the largest increase first."""
        more = [r for r in self.rows if r.diff_cents > 0]
        return sorted(more, key=lambda r: (-r.diff_cents, r.name))[:TOP]

    @property
    def winners(self) -> list[MemberChange]:
        less = [r for r in self.rows if r.diff_cents < 0]
        return sorted(less, key=lambda r: (r.diff_cents, r.name))[:TOP]

    @property
    def diff_cents(self) -> int:
        return self.candidate.charged_cents - self.base.charged_cents


def _amounts(result: AllocationResult) -> dict[int, int]:
    """What the operator bills each member (re-billing lines, issued by an EPCI, left out)."""
    totals: dict[int, int] = {}
    for charge in result.charges(explain=False):
        if not charge.issuer_id:
            member_id = int(charge.member_id)
            totals[member_id] = totals.get(member_id, 0) + charge.amount_cents
    return totals


def _balance(label: str, result: AllocationResult) -> Balance:
    return Balance(label, result.total_cents(), result.net_cost_cents, result.unallocated_cents)


def simulate(
    *,
    candidate: Tariff,
    year: int,
    base: Tariff | None = None,
    base_run: AllocationRun | None = None,
) -> Simulation:
    """Both sides on the usage of `year` (the tariffs are read as if written for that year)."""
    assert (base is None) != (base_run is None), "one base: a tariff or a run"
    frames = build_frames(year=year, service_ids=[candidate.service_id])
    results = [
        result for _t, result in compute(tariffs=[candidate], frames=frames, year=year).results
    ]
    if base is not None:
        results += [r for _t, r in compute(tariffs=[base], frames=frames, year=year).results]
    candidate_amounts = _amounts(results[0])
    candidate_balance = _balance(str(candidate), results[0])
    if base is not None:
        base_amounts = _amounts(results[1])
        base_balance = _balance(str(base), results[1])
    else:
        assert base_run is not None
        base_amounts = {}
        lines = base_run.lines.operator_billed().filter(service_id=candidate.service_id)
        for member_id, amount in lines.values_list("member_id", "amount_cents"):
            base_amounts[member_id] = base_amounts.get(member_id, 0) + amount
        service = base_run.services.filter(service_id=candidate.service_id).first()
        base_balance = Balance(
            str(base_run),
            sum(base_amounts.values()),
            service.net_cost_cents if service else None,
            service.unallocated_cents if service else 0,
        )
    names = {int(pk): (name, population) for pk, name, population in member_details(frames.members)}
    rows = [
        MemberChange(
            member_id=pk,
            name=names.get(pk, ("?", 0))[0],
            population=names.get(pk, ("?", 0))[1],
            base_cents=base_amounts.get(pk, 0),
            candidate_cents=candidate_amounts.get(pk, 0),
        )
        for pk in sorted(set(base_amounts) | set(candidate_amounts))
    ]
    rows.sort(key=lambda r: (r.name, r.member_id))
    return Simulation(year=year, base=base_balance, candidate=candidate_balance, rows=rows)


SIMULATION_HEADERS = [
    "membre",
    "population",
    "base_euros",
    "projet_euros",
    "ecart_euros",
    "ecart_pourcent",
]


def simulation_rows(simulation: Simulation):
    for row in simulation.rows:
        yield [
            row.name,
            row.population,
            euros_decimal(row.base_cents),
            euros_decimal(row.candidate_cents),
            euros_decimal(row.diff_cents),
            row.percent,
        ]


@dataclass(frozen=True)
class Bar:
    label: str
    value: str
    y: int
    x: float
    width: float
    text_x: float
    anchor: str
    positive: bool


def chart_bars(simulation: Simulation, *, width: int = 640, row_height: int = 22) -> dict:
    """Geometry of a horizontal bar chart of the largest changes (pay more → right)."""
    from mutualis.billing.money import format_euros

    changes = sorted(simulation.losers + simulation.winners, key=lambda r: (-r.diff_cents, r.name))
    label_width, margin = 220, 70
    zero = label_width + (width - label_width) / 2
    half = (width - label_width) / 2 - margin
    largest = max((abs(r.diff_cents) for r in changes), default=0) or 1
    bars = []
    for index, row in enumerate(changes):
        length = half * abs(row.diff_cents) / largest
        positive = row.diff_cents > 0
        bars.append(
            Bar(
                label=row.name[:32],
                value=format_euros(row.diff_cents, sign=True),
                y=10 + index * row_height,
                x=round(zero if positive else zero - length, 1),
                width=round(max(length, 1), 1),
                text_x=round(zero + length + 4 if positive else zero - length - 4, 1),
                anchor="start" if positive else "end",
                positive=positive,
            )
        )
    return {
        "bars": bars,
        "width": width,
        "height": 20 + len(bars) * row_height,
        "zero": zero,
        "label_x": label_width - 8,
    }
