"""Pure calendar computations of the shared staff: French public holidays, occurrences of
placement rules, conflicts, working days and agreed days. No Django, no database.

Half-days are "full", "am" (morning) or "pm" (afternoon); weekdays follow `date.weekday()`
(0 = Monday).
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

FULL, MORNING, AFTERNOON = "full", "am", "pm"
HALVES = (FULL, MORNING, AFTERNOON)
WEEKLY, BIWEEKLY = "weekly", "biweekly"
WORKWEEK = (0, 1, 2, 3, 4)

# Conflict kinds
OVERLAP, ABSENCE, HOLIDAY, DAY_OFF = "overlap", "absence", "holiday", "day_off"


def easter_sunday(year: int) -> dt.date:
    """Gregorian Easter Sunday (anonymous Gregorian computus, Meeus/Jones/Butcher)."""
    golden = year % 19
    century, year_of_century = divmod(year, 100)
    leap_centuries, century_rest = divmod(century, 4)
    correction = (century + 8) // 25
    moon_correction = (century - correction + 1) // 3
    epact = (19 * golden + century - leap_centuries - moon_correction + 15) % 30
    leap_years, year_rest = divmod(year_of_century, 4)
    weekday_offset = (32 + 2 * century_rest + 2 * leap_years - epact - year_rest) % 7
    shift = (golden + 11 * epact + 22 * weekday_offset) // 451
    month, day = divmod(epact + weekday_offset - 7 * shift + 114, 31)
    return dt.date(year, month, day + 1)


def french_public_holidays(year: int) -> dict[dt.date, str]:
    """The eleven public holidays of metropolitan France (Alsace-Moselle's extra two aside)."""
    easter = easter_sunday(year)
    days = {
        dt.date(year, 1, 1): "Jour de l'an",
        easter + dt.timedelta(days=1): "Lundi de Pâques",
        dt.date(year, 5, 1): "Fête du Travail",
        dt.date(year, 5, 8): "Victoire 1945",
        easter + dt.timedelta(days=39): "Ascension",
        easter + dt.timedelta(days=50): "Lundi de Pentecôte",
        dt.date(year, 7, 14): "Fête nationale",
        dt.date(year, 8, 15): "Assomption",
        dt.date(year, 11, 1): "Toussaint",
        dt.date(year, 11, 11): "Armistice 1918",
        dt.date(year, 12, 25): "Noël",
    }
    return dict(sorted(days.items()))


def holidays_between(start: dt.date, end: dt.date) -> dict[dt.date, str]:
    found: dict[dt.date, str] = {}
    for year in range(start.year, end.year + 1):
        found.update(
            {day: name for day, name in french_public_holidays(year).items() if start <= day <= end}
        )
    return found


def days_of(half: str) -> Decimal:
    return Decimal("1") if half == FULL else Decimal("0.5")


def halves_overlap(first: str, second: str) -> bool:
    return FULL in (first, second) or first == second


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, _calendar.monthrange(year, month)[1])


def each_day(start: dt.date, end: dt.date) -> Iterable[dt.date]:
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


def unusual_day(
    day: dt.date, *, weekdays: Sequence[int] = WORKWEEK, holidays: dict[dt.date, str] | None = None
) -> str:
    """Why nobody should work that day ("" if it is an ordinary working day): a public
    holiday (its name) or a day off (a weekend day or one the technician does not work)."""
    holidays = holidays if holidays is not None else holidays_between(day, day)
    if day in holidays:
        return holidays[day]
    if day.weekday() not in weekdays:
        return "jour non travaillé"
    return ""


@dataclass(frozen=True)
class PlacementRule:
    """'Every (other) Tuesday morning at CC X from … to …' for one technician."""

    technician_id: int
    member_id: int
    weekday: int
    frequency: str
    half: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class Slot:
    """A technician planned (or absent) somewhere on a day or half-day."""

    technician_id: int
    member_id: int
    day: dt.date
    half: str
    key: object = None  # the caller's handle: a row index, a database id…


def occurrences(rule: PlacementRule, holidays: dict[dt.date, str] | None = None) -> list[Slot]:
    """The days a rule places its technician, public holidays left out."""
    if rule.end < rule.start:
        return []
    holidays = holidays if holidays is not None else holidays_between(rule.start, rule.end)
    first = rule.start + dt.timedelta(days=(rule.weekday - rule.start.weekday()) % 7)
    step = dt.timedelta(days=14 if rule.frequency == BIWEEKLY else 7)
    slots = []
    day = first
    while day <= rule.end:
        if day not in holidays:
            slots.append(Slot(rule.technician_id, rule.member_id, day, rule.half))
        day += step
    return slots


@dataclass(frozen=True)
class Absence:
    technician_id: int
    start: dt.date
    end: dt.date
    label: str = ""


@dataclass(frozen=True)
class Conflict:
    kind: str
    technician_id: int
    day: dt.date
    slots: tuple[Slot, ...]
    detail: str = ""


def find_conflicts(
    slots: Sequence[Slot],
    *,
    absences: Sequence[Absence] = (),
    working_weekdays: dict[int, Sequence[int]] | None = None,
    holidays: dict[dt.date, str] | None = None,
) -> list[Conflict]:
    """Every slot that cannot hold: a technician twice on the same (half-)day, on an absence,
    on a public holiday, or on a day they do not work."""
    conflicts: list[Conflict] = []
    by_day: dict[tuple[int, dt.date], list[Slot]] = defaultdict(list)
    for slot in slots:
        by_day[(slot.technician_id, slot.day)].append(slot)
    absences_of: dict[int, list[Absence]] = defaultdict(list)
    for absence in absences:
        absences_of[absence.technician_id].append(absence)
    if holidays is None and slots:
        holidays = holidays_between(min(s.day for s in slots), max(s.day for s in slots))
    for (technician_id, day), day_slots in sorted(by_day.items(), key=lambda item: item[0]):
        for index, slot in enumerate(day_slots):
            clashing = [o for o in day_slots[index + 1 :] if halves_overlap(slot.half, o.half)]
            if clashing:
                conflicts.append(Conflict(OVERLAP, technician_id, day, (slot, *clashing)))
        for absence in absences_of.get(technician_id, ()):
            if absence.start <= day <= absence.end:
                conflicts.append(
                    Conflict(ABSENCE, technician_id, day, tuple(day_slots), absence.label)
                )
        if holidays and day in holidays:
            conflicts.append(Conflict(HOLIDAY, technician_id, day, tuple(day_slots), holidays[day]))
        weekdays = (working_weekdays or {}).get(technician_id)
        if weekdays is not None and day.weekday() not in weekdays:
            conflicts.append(Conflict(DAY_OFF, technician_id, day, tuple(day_slots)))
    return conflicts


def working_days(
    start: dt.date,
    end: dt.date,
    *,
    weekdays: Sequence[int] = WORKWEEK,
    holidays: dict[dt.date, str] | None = None,
    absences: Sequence[Absence] = (),
) -> int:
    """Days between start and end (inclusive) on the given weekdays, holidays and absences out."""
    if end < start:
        return 0
    holidays = holidays if holidays is not None else holidays_between(start, end)
    return sum(
        1
        for day in each_day(start, end)
        if day.weekday() in weekdays
        and day not in holidays
        and not any(a.start <= day <= a.end for a in absences)
    )


def agreed_days_in_month(
    *,
    amount: Decimal,
    per: str,
    agreement_start: dt.date,
    agreement_end: dt.date | None,
    year: int,
    month: int,
) -> Decimal:
    """The days an agreement of `amount` days per week, month or year grants in one month.

    Per week: amount × working days covered / 5. Per month and per year (a twelfth a month):
    pro-rated by the working days of the month the agreement covers.
    """
    first, last = month_bounds(year, month)
    start = max(first, agreement_start)
    end = min(last, agreement_end) if agreement_end else last
    if end < start:
        return Decimal("0")
    holidays = holidays_between(first, last)
    covered = Decimal(working_days(start, end, holidays=holidays))
    if per == "week":
        return amount * covered / 5
    monthly = amount if per == "month" else amount / 12
    in_month = Decimal(working_days(first, last, holidays=holidays))
    return monthly * covered / in_month if in_month else Decimal("0")


# Quotas: the days an agreement grants per week, month or year, against the days planned.

WEEK, MONTH, YEAR = "week", "month", "year"


def quota_period(per: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The week (Monday to Sunday), calendar month or calendar year holding `day`."""
    if per == WEEK:
        monday = day - dt.timedelta(days=day.weekday())
        return monday, monday + dt.timedelta(days=6)
    if per == MONTH:
        return month_bounds(day.year, day.month)
    return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)


def period_quota(
    *,
    amount: Decimal,
    per: str,
    start: dt.date,
    end: dt.date,
    agreement_start: dt.date,
    agreement_end: dt.date | None,
    holidays: dict[dt.date, str] | None = None,
) -> Decimal:
    """The quota of one period: the agreement's amount, pro-rated by the working days covered
    when the agreement starts or ends inside the period, rounded up to the half-day (half-days
    are what can be planned)."""
    covered_start = max(start, agreement_start)
    covered_end = min(end, agreement_end) if agreement_end else end
    if covered_end < covered_start:
        return Decimal("0")
    holidays = holidays if holidays is not None else holidays_between(start, end)
    total = working_days(start, end, holidays=holidays)
    covered = working_days(covered_start, covered_end, holidays=holidays)
    if covered >= total or not total:
        return amount
    halves = (amount * covered * 2 / total).to_integral_value(rounding=ROUND_CEILING)
    return halves / 2


@dataclass(frozen=True)
class QuotaOverrun:
    """More days planned in a week, month or year than the agreement grants."""

    start: dt.date
    end: dt.date
    planned: Decimal
    quota: Decimal

    @property
    def excess(self) -> Decimal:
        return self.planned - self.quota


def quota_overruns(
    *,
    amount: Decimal,
    per: str,
    agreement_start: dt.date,
    agreement_end: dt.date | None,
    planned: Iterable[tuple[dt.date, Decimal]],
) -> list[QuotaOverrun]:
    """The periods of the agreement's quota where the planned days exceed it, in order."""
    totals: dict[tuple[dt.date, dt.date], Decimal] = defaultdict(Decimal)
    for day, days in planned:
        totals[quota_period(per, day)] += days
    if not totals:
        return []
    holidays = holidays_between(min(s for s, _e in totals), max(e for _s, e in totals))
    overruns = []
    for (start, end), days in sorted(totals.items()):
        quota = period_quota(
            amount=amount,
            per=per,
            start=start,
            end=end,
            agreement_start=agreement_start,
            agreement_end=agreement_end,
            holidays=holidays,
        )
        if days > quota:
            overruns.append(QuotaOverrun(start, end, days, quota))
    return overruns
