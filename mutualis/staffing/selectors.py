"""Reads on the shared staff: planning previews, conflicts, calendars, figures per member and
per technician. Every function runs a fixed number of queries, whatever the data."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum
from django.db.models.functions import ExtractMonth
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mutualis.staffing import calendar as cal
from mutualis.staffing.models import (
    DAYS,
    Absence,
    PlannedDay,
    StaffingAgreement,
    TaskCategory,
    Technician,
    WorkLogEntry,
)


@dataclass(frozen=True)
class PlanningRow:
    """One line of the planning grid: a technician at an agreement's member by a rule."""

    agreement: StaffingAgreement
    technician: Technician
    weekday: int
    frequency: str
    half: str
    start: dt.date
    end: dt.date

    def rule(self) -> cal.PlacementRule:
        return cal.PlacementRule(
            technician_id=self.technician.pk,
            member_id=self.agreement.member_id,
            weekday=self.weekday,
            frequency=self.frequency,
            half=self.half,
            start=self.start,
            end=self.end,
        )


@dataclass(frozen=True)
class AgreementOverrun:
    """A week, month or year where an agreement has more days planned than its quota."""

    agreement: StaffingAgreement
    overrun: cal.QuotaOverrun

    @property
    def period_label(self) -> str:
        start, end = self.overrun.start, self.overrun.end
        if self.agreement.per == cal.WEEK:
            return _("semaine du %(start)s au %(end)s") % {
                "start": f"{start:%d/%m/%Y}",
                "end": f"{end:%d/%m/%Y}",
            }
        if self.agreement.per == cal.MONTH:
            return date_format(start, "F Y")
        return _("année %(year)s") % {"year": start.year}


def quota_overruns(
    agreements: Sequence[StaffingAgreement],
    *,
    start: dt.date,
    end: dt.date,
    extra: Sequence[tuple[int, dt.date, Decimal]] = (),
) -> list[AgreementOverrun]:
    """The periods touching start…end where an agreement's planned days (plus `extra`: days
    about to be planned, as agreement id, date, days) exceed its quota: 1 query."""
    agreements = list(agreements)
    if not agreements:
        return []
    window_start = min(cal.quota_period(a.per, start)[0] for a in agreements)
    window_end = max(cal.quota_period(a.per, end)[1] for a in agreements)
    planned: dict[int, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    for agreement_id, day, half in PlannedDay.objects.filter(
        agreement_id__in=[a.pk for a in agreements], date__range=(window_start, window_end)
    ).values_list("agreement_id", "date", "half"):
        planned[agreement_id].append((day, cal.days_of(half)))
    for agreement_id, day, days in extra:
        planned[agreement_id].append((day, days))
    found = []
    for agreement in agreements:
        for overrun in cal.quota_overruns(
            amount=agreement.days,
            per=agreement.per,
            agreement_start=agreement.start_date,
            agreement_end=agreement.end_date,
            planned=planned.get(agreement.pk, ()),
        ):
            if overrun.end >= start and overrun.start <= end:
                found.append(AgreementOverrun(agreement, overrun))
    return found


@dataclass
class PlanningPreview:
    rows: list[PlanningRow]
    slots: list[cal.Slot]  # the new occurrences, keyed by their row index
    conflicts: list[cal.Conflict]  # those touching a new occurrence
    per_row: list[int] = field(default_factory=list)
    # Occurrences identical to a planned day already saved: neither conflicts nor created.
    existing_per_row: list[int] = field(default_factory=list)
    # Weeks, months or years where the new occurrences take an agreement over its quota.
    overruns: list[AgreementOverrun] = field(default_factory=list)

    @property
    def existing(self) -> int:
        return sum(self.existing_per_row)

    @property
    def days(self) -> Decimal:
        return sum((cal.days_of(s.half) for s in self.slots), Decimal("0"))


def _absences(technician_ids: Iterable[int], start: dt.date, end: dt.date) -> list[cal.Absence]:
    return [
        cal.Absence(a.technician_id, a.start_date, a.end_date, a.get_kind_display())
        for a in Absence.objects.filter(
            technician_id__in=list(technician_ids), start_date__lte=end, end_date__gte=start
        )
    ]


def _existing_slots(technician_ids: Iterable[int], start: dt.date, end: dt.date) -> list[cal.Slot]:
    return [
        cal.Slot(p.technician_id, p.member_id, p.date, p.half, key=("planned", p.pk))
        for p in PlannedDay.objects.filter(
            technician_id__in=list(technician_ids), date__range=(start, end)
        ).only("technician_id", "member_id", "date", "half")
    ]


def _weekdays(technician_ids: Iterable[int]) -> dict[int, list[int]]:
    return dict(
        Technician.objects.filter(pk__in=list(technician_ids)).values_list("pk", "working_weekdays")
    )


def _identity(slot: cal.Slot) -> tuple:
    """What makes two occurrences the same planned day."""
    return (slot.technician_id, slot.member_id, slot.day, slot.half)


def planning_preview(rows: Sequence[PlanningRow]) -> PlanningPreview:
    """The occurrences the grid would create and the conflicts they would raise, against each
    other, the existing planning, absences, holidays and days off.

    An occurrence identical to a day already planned (same technician, member, date and
    half) is left out: it is neither a conflict nor created again, so saving the same grid
    twice changes nothing."""
    generated_rows = [
        [
            cal.Slot(s.technician_id, s.member_id, s.day, s.half, key=("row", index))
            for s in cal.occurrences(row.rule())
        ]
        for index, row in enumerate(rows)
    ]
    every = [slot for generated in generated_rows for slot in generated]
    if not every:
        return PlanningPreview(list(rows), [], [], [0] * len(rows), [0] * len(rows))
    start, end = min(s.day for s in every), max(s.day for s in every)
    technician_ids = {s.technician_id for s in every}
    existing = _existing_slots(technician_ids, start, end)
    already = {_identity(s) for s in existing}
    slots: list[cal.Slot] = []
    per_row: list[int] = []
    existing_per_row: list[int] = []
    for generated in generated_rows:
        new = [s for s in generated if _identity(s) not in already]
        slots.extend(new)
        per_row.append(len(new))
        existing_per_row.append(len(generated) - len(new))
    if not slots:
        return PlanningPreview(list(rows), [], [], per_row, existing_per_row)
    conflicts = cal.find_conflicts(
        slots + existing,
        absences=_absences(technician_ids, start, end),
        working_weekdays=_weekdays(technician_ids),
    )
    touching = [
        c for c in conflicts if any(isinstance(s.key, tuple) and s.key[0] == "row" for s in c.slots)
    ]
    return PlanningPreview(
        list(rows), slots, touching, per_row, existing_per_row, _new_overruns(rows, slots)
    )


def _new_overruns(rows: Sequence[PlanningRow], slots: Sequence[cal.Slot]) -> list:
    """The quota overruns the new occurrences cause (periods holding at least one of them)."""
    extra = [(rows[s.key[1]].agreement.pk, s.day, cal.days_of(s.half)) for s in slots]
    agreements = {row.agreement.pk: row.agreement for row in rows}
    found = quota_overruns(
        agreements.values(),
        start=min(s.day for s in slots),
        end=max(s.day for s in slots),
        extra=extra,
    )
    return [
        o
        for o in found
        if any(
            a == o.agreement.pk and o.overrun.start <= day <= o.overrun.end
            for a, day, _days in extra
        )
    ]


# Calendars


@dataclass
class CalendarDay:
    day: dt.date
    holiday: str = ""
    planned: list[PlannedDay] = field(default_factory=list)
    logged: list[WorkLogEntry] = field(default_factory=list)
    absences: list[Absence] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    unusual: list[str] = field(default_factory=list)  # days logged on a holiday or day off

    @property
    def is_weekend(self) -> bool:
        return self.day.weekday() >= 5


@dataclass
class MonthCalendar:
    year: int
    month: int
    days: list[CalendarDay]
    planned_days: Decimal
    worked_days: Decimal
    conflict_count: int
    agreed_days: Decimal | None = None  # for a member's calendar

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def previous(self) -> dt.date:
        return (self.first - dt.timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> dt.date:
        return (self.first + dt.timedelta(days=32)).replace(day=1)


CONFLICT_LABELS = {
    cal.OVERLAP: "deux interventions sur la même demi-journée",
    cal.ABSENCE: "planifié pendant une absence",
    cal.HOLIDAY: "planifié un jour férié",
    cal.DAY_OFF: "planifié un jour non travaillé",
}


def month_calendar(
    *, year: int, month: int, technician: Technician | None = None, member=None
) -> MonthCalendar:
    """A month, day by day, for one technician or one member: 3 to 5 queries."""
    first, last = cal.month_bounds(year, month)
    scope = Q(technician=technician) if technician else Q(member=member)
    planned = list(
        PlannedDay.objects.filter(scope, date__range=(first, last)).select_related(
            "member", "technician__user"
        )
    )
    logged = list(
        WorkLogEntry.objects.filter(scope, date__range=(first, last)).select_related(
            "member", "technician__user"
        )
    )
    technician_ids = {technician.pk} if technician else {p.technician_id for p in planned}
    absences = list(
        Absence.objects.filter(
            technician_id__in=technician_ids, start_date__lte=last, end_date__gte=first
        ).select_related("technician__user")
    )
    # Conflicts are judged on each technician's whole day, wherever they are planned.
    all_slots = _existing_slots(technician_ids, first, last) if technician_ids else []
    conflicts = cal.find_conflicts(
        all_slots,
        absences=[
            cal.Absence(a.technician_id, a.start_date, a.end_date, a.get_kind_display())
            for a in absences
        ],
        working_weekdays={t.pk: t.working_weekdays for t in [technician] if t}
        or {p.technician_id: p.technician.working_weekdays for p in planned},
    )
    holidays = cal.holidays_between(first, last)
    days = {d: CalendarDay(d, holidays.get(d, "")) for d in cal.each_day(first, last)}
    for entry in planned:
        days[entry.date].planned.append(entry)
    for entry in logged:
        days[entry.date].logged.append(entry)
        reason = cal.unusual_day(
            entry.date, weekdays=entry.technician.working_weekdays, holidays=holidays
        )
        if reason and reason not in days[entry.date].unusual:
            days[entry.date].unusual.append(reason)
    for absence in absences:
        for d in cal.each_day(max(first, absence.start_date), min(last, absence.end_date)):
            days[d].absences.append(absence)
    shown_ids = {("planned", p.pk) for p in planned}
    for conflict in conflicts:
        if any(s.key in shown_ids for s in conflict.slots):
            label = CONFLICT_LABELS[conflict.kind]
            if label not in days[conflict.day].conflicts:
                days[conflict.day].conflicts.append(label)
    return MonthCalendar(
        year=year,
        month=month,
        days=list(days.values()),
        planned_days=sum((cal.days_of(p.half) for p in planned), Decimal("0")),
        worked_days=sum((e.days for e in logged if not e.cancelled), Decimal("0")),
        conflict_count=sum(1 for d in days.values() if d.conflicts),
        agreed_days=None
        if technician
        else sum(
            (
                agreed_days(a, year, [month])
                for a in StaffingAgreement.objects.filter(
                    member=member, start_date__lte=last
                ).exclude(end_date__lt=first)
            ),
            Decimal("0"),
        ),
    )


# Figures


@dataclass
class AgreementFigures:
    agreement: StaffingAgreement
    agreed: Decimal
    planned: Decimal
    worked: Decimal
    categories: dict[str, Decimal]

    @property
    def category_mix(self) -> list[tuple[str, Decimal]]:
        labels = dict(TaskCategory.choices)
        return [(str(labels[c]), self.categories.get(c, Decimal("0"))) for c in labels]


def agreed_days(agreement: StaffingAgreement, year: int, months: Iterable[int]) -> Decimal:
    return sum(
        (
            cal.agreed_days_in_month(
                amount=agreement.days,
                per=agreement.per,
                agreement_start=agreement.start_date,
                agreement_end=agreement.end_date,
                year=year,
                month=m,
            )
            for m in months
        ),
        Decimal("0"),
    ).quantize(Decimal("0.1"))


def agreement_figures(agreements, *, year: int, months: Sequence[int] = range(1, 13)) -> list:
    """Days agreed, planned and worked, and the worked days by category, per agreement over
    the given months of a year: 4 queries."""
    agreements = list(
        agreements.select_related("member", "service").prefetch_related("technicians__user")
    )
    ids = [a.pk for a in agreements]
    period = Q(date__year=year, date__month__in=list(months))
    planned = dict(
        PlannedDay.objects.filter(period, agreement_id__in=ids)
        .values("agreement_id")
        .annotate(days=Sum(DAYS))
        .values_list("agreement_id", "days")
    )
    categories: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for agreement_id, category, days in (
        WorkLogEntry.objects.counted()
        .filter(period, agreement_id__in=ids)
        .values("agreement_id", "category")
        .annotate(days=Sum(DAYS))
        .values_list("agreement_id", "category", "days")
    ):
        categories[agreement_id][category] = Decimal(days)
    return [
        AgreementFigures(
            agreement=a,
            agreed=agreed_days(a, year, months),
            planned=Decimal(planned.get(a.pk) or 0),
            worked=sum(categories[a.pk].values(), Decimal("0")),
            categories=categories[a.pk],
        )
        for a in agreements
    ]


@dataclass
class Utilisation:
    technician: Technician
    worked: list[Decimal]  # per month, January first
    available: list[int]

    @property
    def rates(self) -> list[int | None]:
        return [
            round(100 * w / a) if a else None
            for w, a in zip(self.worked, self.available, strict=True)
        ]

    @property
    def cells(self) -> list[tuple[Decimal, int, int | None]]:
        return list(zip(self.worked, self.available, self.rates, strict=True))

    @property
    def total_worked(self) -> Decimal:
        return sum(self.worked, Decimal("0"))

    @property
    def total_available(self) -> int:
        return sum(self.available)

    @property
    def total_rate(self) -> int | None:
        available = self.total_available
        return round(100 * self.total_worked / available) if available else None


def technician_utilisation(*, year: int) -> list[Utilisation]:
    """Days worked over working days available (holidays and absences out), per month: 3
    queries."""
    technicians = list(Technician.objects.filter(active=True).select_related("user"))
    worked: dict[tuple[int, int], Decimal] = {
        (tid, month): Decimal(days)
        for tid, month, days in WorkLogEntry.objects.counted()
        .filter(date__year=year)
        .annotate(month=ExtractMonth("date"))
        .values("technician_id", "month")
        .annotate(days=Sum(DAYS))
        .values_list("technician_id", "month", "days")
    }
    year_start, year_end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    absences = _absences([t.pk for t in technicians], year_start, year_end)
    holidays = cal.holidays_between(year_start, year_end)
    result = []
    for technician in technicians:
        own = [a for a in absences if a.technician_id == technician.pk]
        available = [
            cal.working_days(
                *cal.month_bounds(year, month),
                weekdays=technician.working_weekdays,
                holidays=holidays,
                absences=own,
            )
            for month in range(1, 13)
        ]
        result.append(
            Utilisation(
                technician=technician,
                worked=[worked.get((technician.pk, m), Decimal("0")) for m in range(1, 13)],
                available=available,
            )
        )
    return result


def open_contests():
    """The days members contest and the operator has not settled yet, oldest first."""
    return (
        WorkLogEntry.objects.open_contests()
        .select_related("member", "technician__user", "contested_by", "agreement")
        .order_by("contested_at", "pk")
    )


def open_contest_count() -> int:
    return WorkLogEntry.objects.open_contests().count()


def recently_resolved_contests(limit: int = 20):
    return (
        WorkLogEntry.objects.exclude(contest_resolution="")
        .select_related("member", "technician__user", "contested_by", "contest_resolved_by")
        .order_by("-contest_resolved_at", "-pk")[:limit]
    )


def work_log_list(*, user, technician=None, member=None, year=None, month=None):
    entries = WorkLogEntry.objects.visible_to(user).select_related(
        "member", "technician__user", "acknowledged_by", "contested_by", "contest_resolved_by"
    )
    if technician is not None:
        entries = entries.filter(technician=technician)
    if member is not None:
        entries = entries.filter(member=member)
    if year:
        entries = entries.filter(date__year=year)
    if month:
        entries = entries.filter(date__month=month)
    return entries.order_by("-date", "half", "pk")
