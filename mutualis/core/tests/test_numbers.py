"""The one reader of numbers and dates: French and plain notation, bounded by the field."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mutualis.core.numbers import (
    DecimalBounds,
    InputError,
    format_date,
    format_number,
    input_text,
    parse_date,
    parse_decimal,
    parse_integer,
    without_trailing_zeros,
)

QUANTITY = DecimalBounds(15, 3, min_value=Decimal(0))  # a usage reading


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12,5", "12.5"),
        ("12.5", "12.5"),
        ("1 234,56", "1234.56"),
        ("1\u00a0234,56", "1234.56"),
        ("1\u202f234,56", "1234.56"),
        ("1 234 567", "1234567"),
        (" 7 ", "7"),
        ("0,90 €", "0.9"),
        (",5", "0.5"),
        (12, "12"),
        (12.5, "12.5"),
        (Decimal("3.125"), "3.125"),
        (0.1, "0.1"),
        ("-0", "0"),
    ],
)
def test_french_and_plain_notation_read_the_same_number(typed, expected):
    assert parse_decimal(typed, QUANTITY) == Decimal(expected)


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("99999999999999999999", "plus grande valeur possible (999\u00a0999\u00a0999\u00a0999,9"),
        ("1e999999", "n'est pas un nombre"),
        ("1E5", "n'est pas un nombre"),
        ("NaN", "n'est pas un nombre"),
        ("Infinity", "n'est pas un nombre"),
        (float("inf"), "n'est pas un nombre"),
        (float("nan"), "n'est pas un nombre"),
        (True, "n'est pas un nombre"),
        ("12,5,3", "n'est pas un nombre"),
        ("1.234,56", "mêle virgule et point"),
        ("12 5", "groupes de trois chiffres"),
        ("1 23,5", "groupes de trois chiffres"),
        ("0,0001", "3 décimales au plus"),
        ("-1", "ne peut pas être négative"),
        ("douze", "n'est pas un nombre"),
        ("9" * 5000, "n'est pas un nombre"),
        (10**40, "n'est pas un nombre"),
        (1e300, "n'est pas un nombre"),
        ("", "Valeur obligatoire"),
    ],
)
def test_what_does_not_fit_the_field_is_refused_with_a_reason(typed, words):
    with pytest.raises(InputError) as refused:
        parse_decimal(typed, QUANTITY)
    assert words in refused.value.message


def test_a_comma_is_never_dropped():
    """The browser's type=number input turned « 12,5 » into 125: the reader never does."""
    assert parse_decimal("12,5", QUANTITY) != Decimal(125)


def test_bounds_name_the_limit():
    price = DecimalBounds(12, 4, min_value=Decimal(0), max_value=Decimal(1000))
    with pytest.raises(InputError, match="1\u00a0000 au plus"):
        parse_decimal("1 000,5", price)
    assert parse_decimal("", price, required=False) is None


def test_integers():
    assert parse_integer("2 026", min_value=1900, max_value=2100) == 2026
    with pytest.raises(InputError, match="nombre entier"):
        parse_integer("12,5")
    with pytest.raises(InputError, match="2100 au plus"):
        parse_integer("2101", min_value=1900, max_value=2100)
    with pytest.raises(InputError, match="plus grande valeur possible"):
        parse_integer("9223372036854775808")


@given(st.decimals(min_value=0, max_value=Decimal("999999999999.999"), places=3))
def test_a_number_written_the_french_way_reads_back_unchanged(number):
    assert parse_decimal(format_number(number), QUANTITY) == number
    assert parse_decimal(str(number), QUANTITY) == number


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("31/01/2026", dt.date(2026, 1, 31)),
        ("1/2/2026", dt.date(2026, 2, 1)),
        ("2026-01-31", dt.date(2026, 1, 31)),
        (dt.datetime(2026, 1, 31, 10, 0), dt.date(2026, 1, 31)),
        (dt.date(1900, 1, 1), dt.date(1900, 1, 1)),
    ],
)
def test_dates(typed, expected):
    assert parse_date(typed) == expected


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("01/01/0001", "entre 1900 et 2100"),
        ("0001-01-01", "entre 1900 et 2100"),
        (dt.date(2101, 1, 1), "entre 1900 et 2100"),
        ("31/02/2026", "n'est pas une date"),
        ("2026-13-01", "n'est pas une date"),
        ("demain", "n'est pas une date"),
        ("01/01/99999", "n'est pas une date"),
    ],
)
def test_dates_outside_the_calendar_or_the_range_are_refused(typed, words):
    with pytest.raises(InputError, match=words):
        parse_date(typed)


def test_dates_are_written_with_four_digit_years():
    assert format_date(dt.date(1, 1, 1)) == "01/01/0001"
    assert parse_date(format_date(dt.date(2026, 3, 9))) == dt.date(2026, 3, 9)


def test_the_bounds_of_a_model_field():
    from mutualis.metering.models import UsageRecord

    bounds = DecimalBounds.of_field(UsageRecord._meta.get_field("quantity"))
    assert bounds == DecimalBounds(15, 3, Decimal(0), None)


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        (Decimal("12.500"), "12,5"),
        (Decimal("0.9000"), "0,9"),
        (Decimal("100.000"), "100"),
        (Decimal("1E+2"), "100"),
        (Decimal("1234567.25"), "1234567,25"),
        (Decimal("0.0000001"), "0,0000001"),
        (Decimal("-0.000"), "0"),
        (2026, "2026"),
    ],
)
def test_a_stored_number_is_shown_in_an_input_the_french_way(stored, shown):
    assert input_text(stored) == shown


def test_trailing_zeros_go_but_no_exponent_comes():
    assert str(without_trailing_zeros(Decimal("12.500"))) == "12.5"
    assert str(without_trailing_zeros(Decimal("100.000"))) == "100"
    assert format_number(without_trailing_zeros(Decimal("1234.500"))) == "1\u00a0234,5"


@given(st.decimals(min_value=0, max_value=Decimal("999999999999.999"), places=3))
def test_what_an_input_shows_reads_back_as_the_stored_number(number):
    assert parse_decimal(input_text(number), QUANTITY) == number
