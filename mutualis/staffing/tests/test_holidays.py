"""French public holidays, computed from the Easter computus: no list typed in."""

import datetime as dt

import pytest

from mutualis.staffing.calendar import easter_sunday, french_public_holidays, holidays_between


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2019, dt.date(2019, 4, 21)),
        (2024, dt.date(2024, 3, 31)),
        (2025, dt.date(2025, 4, 20)),
        (2026, dt.date(2026, 4, 5)),
        (2027, dt.date(2027, 3, 28)),
        (2038, dt.date(2038, 4, 25)),
        (2285, dt.date(2285, 3, 22)),  # earliest possible date
    ],
)
def test_easter_sunday_of_known_years(year, easter):
    assert easter_sunday(year) == easter


def test_the_eleven_holidays_of_2026():
    holidays = french_public_holidays(2026)
    assert len(holidays) == 11
    assert holidays[dt.date(2026, 4, 6)] == "Lundi de Pâques"
    assert holidays[dt.date(2026, 5, 14)] == "Ascension"
    assert holidays[dt.date(2026, 5, 25)] == "Lundi de Pentecôte"
    for fixed in [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]:
        assert dt.date(2026, *fixed) in holidays
    assert dt.date(2026, 4, 5) not in holidays  # Easter Sunday is a Sunday anyway


def test_easter_based_holidays_move_with_easter():
    holidays = french_public_holidays(2024)
    assert {d for d, name in holidays.items() if name in {"Lundi de Pâques", "Ascension"}} == {
        dt.date(2024, 4, 1),
        dt.date(2024, 5, 9),
    }
    assert holidays[dt.date(2024, 5, 20)] == "Lundi de Pentecôte"


def test_holidays_between_spans_years():
    found = holidays_between(dt.date(2025, 12, 1), dt.date(2026, 1, 31))
    assert list(found) == [dt.date(2025, 12, 25), dt.date(2026, 1, 1)]
