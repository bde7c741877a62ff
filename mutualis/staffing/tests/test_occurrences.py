"""Placement rules turn into dated occurrences, public holidays left out."""

import datetime as dt
import itertools

from mutualis.staffing.calendar import (
    AFTERNOON,
    BIWEEKLY,
    FULL,
    WEEKLY,
    PlacementRule,
    occurrences,
)


def rule(**overrides):
    values = {
        "technician_id": 1,
        "member_id": 10,
        "weekday": 1,  # Tuesday
        "frequency": WEEKLY,
        "half": FULL,
        "start": dt.date(2026, 7, 1),
        "end": dt.date(2026, 9, 30),
    }
    return PlacementRule(**(values | overrides))


def test_every_tuesday_of_the_third_quarter_but_the_14th_of_july():
    days = [slot.day for slot in occurrences(rule())]
    assert days[0] == dt.date(2026, 7, 7)
    assert dt.date(2026, 7, 14) not in days  # Fête nationale falls on a Tuesday in 2026
    assert days[-1] == dt.date(2026, 9, 29)
    assert len(days) == 12  # 13 Tuesdays, one holiday
    assert all(d.weekday() == 1 for d in days)


def test_every_other_thursday_afternoon():
    slots = occurrences(rule(weekday=3, frequency=BIWEEKLY, half=AFTERNOON))
    days = [s.day for s in slots]
    assert days[:3] == [dt.date(2026, 7, 2), dt.date(2026, 7, 16), dt.date(2026, 7, 30)]
    assert {s.half for s in slots} == {AFTERNOON}
    assert all((b - a).days == 14 for a, b in itertools.pairwise(days))


def test_biweekly_skips_a_holiday_without_shifting_the_rhythm():
    # Thursdays from 7 May 2026: 7 May, 21 May, 4 June... Ascension (14 May) is off-rhythm;
    # with a start on 14 May the rhythm is 14 May (holiday, skipped), 28 May, 11 June.
    days = [
        s.day
        for s in occurrences(
            rule(
                weekday=3, frequency=BIWEEKLY, start=dt.date(2026, 5, 14), end=dt.date(2026, 6, 30)
            )
        )
    ]
    assert days == [dt.date(2026, 5, 28), dt.date(2026, 6, 11), dt.date(2026, 6, 25)]


def test_an_empty_range_gives_nothing():
    assert occurrences(rule(start=dt.date(2026, 9, 1), end=dt.date(2026, 8, 1))) == []
