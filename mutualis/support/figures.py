"""Support figures of one member over a period, from its tickets: pure computation, no Django.

Durations are seconds, as the helpdesk tool counts them (GLPI: in the working hours of the
entity's calendar when it has one, else elapsed time; a file or a tool that gives only dates:
elapsed time, 24 hours a day). The median is the middle value (the mean of the two middle
ones for an even count); the 90th percentile is the nearest-rank one: 90 % of the requests
waited that long or less.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

LONGEST = 5


@dataclass(frozen=True)
class TicketTimes:
    """What the figures read of one ticket."""

    ref: str
    title: str
    opened_at: datetime
    done: bool
    response_seconds: int | None = None
    resolution_seconds: int | None = None
    first_response_at: datetime | None = None
    solved_at: datetime | None = None
    time_to_own: datetime | None = None
    time_to_resolve: datetime | None = None


@dataclass(frozen=True)
class Spread:
    count: int
    median: float
    p90: float


@dataclass(frozen=True)
class Wait:
    ref: str
    title: str
    opened_at: datetime
    seconds: int
    done: bool


@dataclass(frozen=True)
class SlaShare:
    """Tickets with a target whose outcome is known: met, or missed (late, or still open
    past the target). Open tickets still within their target are not counted yet."""

    met: int
    counted: int

    @property
    def percent(self) -> float | None:
        return None if not self.counted else 100 * self.met / self.counted


@dataclass(frozen=True)
class Figures:
    tickets: int
    open: int
    response: Spread | None
    resolution: Spread | None
    response_sla: SlaShare
    resolution_sla: SlaShare
    longest: tuple[Wait, ...]


def median(values: Sequence[float]) -> float:
    if not values:
        raise ValueError("median of nothing")
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


def nearest_rank(values: Sequence[float], percent: float) -> float:
    """The smallest value such that `percent` % of the values are at most it."""
    if not values:
        raise ValueError("percentile of nothing")
    if not 0 < percent <= 100:
        raise ValueError("percent out of (0, 100]")
    ordered = sorted(values)
    rank = math.ceil(percent / 100 * len(ordered))
    return float(ordered[max(rank, 1) - 1])


def spread(values: Iterable[int | None]) -> Spread | None:
    known = [v for v in values if v is not None]
    if not known:
        return None
    return Spread(len(known), median(known), nearest_rank(known, 90))


def _sla(pairs: Iterable[tuple[datetime | None, datetime | None]], now: datetime) -> SlaShare:
    """(reached_at, target) pairs: met when reached by the target; missed when reached after
    it, or not reached and the target is past."""
    met = counted = 0
    for reached, target in pairs:
        if target is None:
            continue
        if reached is not None:
            counted += 1
            met += reached <= target
        elif now > target:
            counted += 1
    return SlaShare(met, counted)


def wait_seconds(ticket: TicketTimes, now: datetime) -> int:
    """How long the requester waited for the solution: the resolution time of a solved
    ticket, the time elapsed since it was opened for one still open."""
    if ticket.done and ticket.resolution_seconds is not None:
        return ticket.resolution_seconds
    end = ticket.solved_at if ticket.done and ticket.solved_at else now
    return max(0, int((end - ticket.opened_at).total_seconds()))


def figures(tickets: Sequence[TicketTimes], now: datetime) -> Figures:
    done = [t for t in tickets if t.done]
    waits = sorted(
        (Wait(t.ref, t.title, t.opened_at, wait_seconds(t, now), t.done) for t in tickets),
        key=lambda w: (-w.seconds, w.opened_at, w.ref),
    )
    return Figures(
        tickets=len(tickets),
        open=len(tickets) - len(done),
        response=spread(t.response_seconds for t in tickets),
        resolution=spread(t.resolution_seconds for t in done),
        response_sla=_sla(((t.first_response_at, t.time_to_own) for t in tickets), now),
        resolution_sla=_sla(
            ((t.solved_at if t.done else None, t.time_to_resolve) for t in tickets), now
        ),
        longest=tuple(waits[:LONGEST]),
    )


def format_duration(seconds: float | None) -> str:
    """« 45 min », « 3,5 h », « 2 j 4 h » (days of 24 hours); « — » for nothing."""
    if seconds is None:
        return "—"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours = seconds / 3600
    if hours < 24:
        text = f"{hours:.1f}".rstrip("0").rstrip(".").replace(".", ",")
        return f"{text} h"
    whole_hours = round(hours)
    days, rest = divmod(whole_hours, 24)
    return f"{days} j {rest} h" if rest else f"{days} j"
