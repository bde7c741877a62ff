"""Reads of the support app: a member's figures of a year, the operator's table of all
members, the entities and the synchronisations."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone

from mutualis.core.jobs import fail_abandoned
from mutualis.core.text import normalize_name
from mutualis.members.models import Member
from mutualis.support.figures import Figures, TicketTimes, figures
from mutualis.support.models import (
    DONE_STATUSES,
    SupportEntity,
    SupportSync,
    Ticket,
)

FIELDS = (
    "pk",
    "member_id",
    "external_id",
    "title",
    "status",
    "opened_at",
    "first_response_at",
    "solved_at",
    "closed_at",
    "response_seconds",
    "resolution_seconds",
    "time_to_own",
    "time_to_resolve",
)


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime(year, 1, 1))
    return start, timezone.make_aware(dt.datetime(year + 1, 1, 1))


def tickets_of_year(year: int) -> QuerySet[Ticket]:
    start, end = year_bounds(year)
    return Ticket.objects.filter(opened_at__gte=start, opened_at__lt=end)


def _times(row: dict) -> TicketTimes:
    done = row["status"] in DONE_STATUSES
    return TicketTimes(
        ref=row["external_id"],
        title=row["title"],
        opened_at=row["opened_at"],
        done=done,
        response_seconds=row["response_seconds"],
        resolution_seconds=row["resolution_seconds"],
        first_response_at=row["first_response_at"],
        solved_at=row["solved_at"] or (row["closed_at"] if done else None),
        time_to_own=row["time_to_own"],
        time_to_resolve=row["time_to_resolve"],
    )


@dataclass(frozen=True)
class MemberSupport:
    member: Member
    year: int
    figures: Figures

    @property
    def has_tickets(self) -> bool:
        return self.figures.tickets > 0


def member_support(member: Member, year: int, now: dt.datetime | None = None) -> MemberSupport:
    """The member's support figures of the tickets it opened in the year."""
    rows = tickets_of_year(year).filter(member=member).values(*FIELDS)
    moment = min(now or timezone.now(), year_bounds(year)[1])
    return MemberSupport(member, year, figures([_times(r) for r in rows], moment))


@dataclass(frozen=True)
class Row:
    """A line of the operator's table (the member's id and name only: the table is cached,
    and unpickling 600 model instances costs more than computing it)."""

    member_pk: int
    member_name: str
    figures: Figures


# The operator's table is kept this long for the same tickets (the waits of open tickets
# grow with time: a figure is at most that old).
TABLE_SECONDS = 600


def operator_table(year: int, query: str = "") -> list[Row]:
    """Every member with tickets in the year (found by name), with its figures. Computed once
    for the same tickets (count and last change: a synchronisation, an import or an entity
    tied to a member changes them) within TABLE_SECONDS, then read from the cache."""
    version = tickets_of_year(year).aggregate(n=Count("pk"), changed=Max("updated_at"))
    stamp = version["changed"].timestamp() if version["changed"] else 0
    key = f"support:table:{year}:{normalize_name(query)}:{version['n']}:{stamp}"
    rows = cache.get(key)
    if rows is None:
        rows = _operator_table(year, query)
        cache.set(key, rows, TABLE_SECONDS)
    return rows


def _operator_table(year: int, query: str) -> list[Row]:
    tickets = tickets_of_year(year).filter(member__isnull=False)
    if query and (needle := normalize_name(query)):
        tickets = tickets.filter(member__search_name__contains=needle)
    by_member: dict[int, list[TicketTimes]] = defaultdict(list)
    for row in tickets.values(*FIELDS).iterator(chunk_size=2000):
        by_member[row["member_id"]].append(_times(row))
    names = {
        pk: (search_name, name)
        for pk, search_name, name in Member.objects.filter(pk__in=list(by_member)).values_list(
            "pk", "search_name", "name"
        )
    }
    moment = min(timezone.now(), year_bounds(year)[1])
    order = sorted(by_member, key=lambda pk: (names[pk][0], pk))
    return [Row(pk, names[pk][1], figures(by_member[pk], moment)) for pk in order]


def all_members_figures(year: int) -> Figures:
    """The figures of every ticket of the year, members' and unmapped alike."""
    rows = tickets_of_year(year).values(*FIELDS)
    moment = min(timezone.now(), year_bounds(year)[1])
    return figures([_times(r) for r in rows.iterator(chunk_size=2000)], moment)


def unmapped(year: int) -> dict:
    """Tickets of the year tied to no member, and the entities they come from."""
    tickets = tickets_of_year(year).filter(member__isnull=True)
    return {
        "tickets": tickets.count(),
        "entities": list(
            SupportEntity.objects.filter(member__isnull=True)
            .annotate(count=Count("tickets", filter=Q(tickets__in=tickets)))
            .filter(count__gt=0)
            .order_by("name")
        ),
    }


def years_with_tickets() -> list[int]:
    """The years with tickets, latest first (a few indexed reads: never a scan of every
    ticket's date)."""
    span = Ticket.objects.aggregate(first=Min("opened_at"), last=Max("opened_at"))
    if span["first"] is None:
        return []
    first, last = (timezone.localtime(span[end]).year for end in ("first", "last"))
    return [y for y in range(last, first - 1, -1) if tickets_of_year(y).exists()]


def default_year() -> int:
    years = years_with_tickets()
    today = timezone.localdate().year
    return today if today in years or not years else years[0]


def recent_syncs(limit: int = 5) -> list[SupportSync]:
    fail_abandoned(SupportSync)
    return list(SupportSync.objects.select_related("created_by")[:limit])


def entities() -> QuerySet[SupportEntity]:
    return SupportEntity.objects.select_related("member").annotate(count=Count("tickets"))
