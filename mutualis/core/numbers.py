"""The one reader of numbers and dates typed by people: in forms, in imported files and in the API.

French users write `12,5`, `1 234,56` (with a space, a no-break space or a narrow no-break space
between thousands) and `31/01/2026`; programs and spreadsheets write `12.5` and `2026-01-31`.
Both are read. Nothing is guessed: a value that could mean two things, or that does not fit the
field it is meant for (too many digits, too many decimals, outside its bounds, a date outside
1900–2100), is refused with a French sentence that says why and what is accepted. Callers put
that sentence where the user will see it (a form field, a file's line and column, an API field).
"""

import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

# Spaces that separate thousands in French: the space, the no-break space and the narrow one.
_GROUP_SPACES = re.compile(r"[ \u00a0\u202f]")
_PLAIN = re.compile(r"[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?: \d{3})+(?:[.,]\d+)?")
MAX_TEXT_LENGTH = 100  # longer than any number a field holds: refused before any parsing

DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")
MIN_YEAR = 1900
MAX_YEAR = 2100


class InputError(ValueError):
    """A typed value was refused; `message` is the French sentence to show."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class DecimalBounds:
    """What a number field holds: like Django's DecimalField, `max_digits` digits of which
    `decimal_places` after the comma, and optional limits."""

    max_digits: int
    decimal_places: int
    min_value: Decimal | None = None
    max_value: Decimal | None = None

    @classmethod
    def of_field(cls, field: Any) -> "DecimalBounds":
        """The bounds of a model's DecimalField: its digits and its min/max validators."""
        from django.core.validators import MaxValueValidator, MinValueValidator

        low = high = None
        for validator in field.validators:
            if isinstance(validator, MinValueValidator):
                low = Decimal(str(validator.limit_value))
            elif isinstance(validator, MaxValueValidator):
                high = Decimal(str(validator.limit_value))
        return cls(field.max_digits, field.decimal_places, low, high)

    @property
    def largest(self) -> Decimal:
        """The largest number the digits allow (999 999,999 for 9 digits and 3 decimals)."""
        whole = 10 ** (self.max_digits - self.decimal_places)
        return Decimal(whole) - Decimal(1).scaleb(-self.decimal_places)


def format_number(value: Decimal | int) -> str:
    """`1234567.50` → « 1 234 567,5 » (a no-break space between thousands), for messages."""
    text = _fixed_point(value)
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _dot, fraction = digits.partition(".")
    groups = []
    while len(whole) > 3:
        whole, tail = whole[:-3], whole[-3:]
        groups.insert(0, tail)
    groups.insert(0, whole)
    text = "\u00a0".join(groups)
    return sign + (f"{text},{fraction}" if fraction else text)


def format_megabytes(size: int) -> str:
    """A file's size in the unit its limit is given in: 12 582 912 bytes → « 12,0 Mo »."""
    return f"{size / (1024 * 1024):.1f}".replace(".", ",") + "\u00a0Mo"


def decimal_comma(value: Decimal) -> str:
    """`Decimal("120.50")` → « 120,50 »: what a French spreadsheet reads as a number and the
    reader reads back (no thousands separator, never an exponent; the decimals are the value's
    own: quantize or normalize it first)."""
    return format(value, "f").replace(".", ",")


def without_trailing_zeros(value: Decimal | int) -> Decimal:
    """`12.500` → `12.5`, `100.000` → `100` (never `1E+2`): the number as people write it."""
    return Decimal(_fixed_point(value))


def input_text(value: Decimal | int) -> str:
    """What a form's input shows for a stored number: `12.500` → « 12,5 », `1234.5` →
    « 1234,5 ». Every decimal that counts is kept, none is added, no exponent, no grouping;
    the reader reads it back as the same number."""
    return _fixed_point(value).replace(".", ",")


def _fixed_point(value: Decimal | int) -> str:
    text = format(Decimal(value), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _not_a_number(value: Any) -> InputError:
    return InputError(
        _("« %(value)s » n'est pas un nombre (exemples acceptés : 12,5 ou 1 234,56).")
        % {"value": _shown(value)}
    )


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 30 else text[:29] + "…"


def _text_to_decimal(text: str, original: Any) -> Decimal:
    text = text.strip()
    if len(text) > MAX_TEXT_LENGTH:
        raise _not_a_number(original)
    text = text.removesuffix("€").strip()
    compact = _GROUP_SPACES.sub(" ", text)
    if " " in compact:
        if not _GROUPED.fullmatch(compact):
            raise InputError(
                _(
                    "« %(value)s » : les espaces ne peuvent séparer que des groupes de trois "
                    "chiffres (1 234,56)."
                )
                % {"value": _shown(original)}
            )
        compact = compact.replace(" ", "")
    if "," in compact and "." in compact:
        raise InputError(
            _(
                "« %(value)s » mêle virgule et point : écrivez 1234,56 ou 1 234,56 "
                "(la virgule sépare les décimales)."
            )
            % {"value": _shown(original)}
        )
    if not _PLAIN.fullmatch(compact):
        raise _not_a_number(original)
    try:
        return Decimal(compact.replace(",", "."))
    except InvalidOperation as exc:  # pragma: no cover - the pattern lets only digits through
        raise _not_a_number(original) from exc


def to_decimal(value: Any) -> Decimal:
    """A value as typed, read from a spreadsheet cell, or sent in JSON, as an exact Decimal."""
    if isinstance(value, bool) or value is None:
        raise _not_a_number(value)
    if isinstance(value, int):
        if abs(value) >= 10**30:
            raise _not_a_number(value)
        return Decimal(value)
    if isinstance(value, float):
        # A spreadsheet's cell: repr is the shortest text that reads back as this float
        # (12.5, not 12.4999…), possibly with an exponent (1e-05), which Decimal reads exactly.
        if not math.isfinite(value) or abs(value) >= 1e30:
            raise _not_a_number(value)
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise _not_a_number(value)
        return value
    return _text_to_decimal(str(value), value)


def parse_decimal(value: Any, bounds: DecimalBounds, *, required: bool = True) -> Decimal | None:
    """Reads a number for a field of `bounds`; an empty value is None unless required."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InputError(_("Valeur obligatoire."))
        return None
    number = to_decimal(value)
    if number == 0:
        number = abs(number)  # "-0" is 0
    exponent = number.normalize().as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if decimals > bounds.decimal_places:
        if bounds.decimal_places == 0:
            raise InputError(
                _("« %(value)s » : un nombre entier est attendu.") % {"value": _shown(value)}
            )
        raise InputError(
            _("« %(value)s » : %(places)s décimales au plus.")
            % {"value": _shown(value), "places": bounds.decimal_places}
        )
    if abs(number) > bounds.largest:
        raise InputError(
            _("« %(value)s » dépasse la plus grande valeur possible (%(largest)s).")
            % {"value": _shown(value), "largest": format_number(bounds.largest)}
        )
    # Whole-number limits are often years: « 2100 au plus », not « 2 100 au plus ».
    limit_text = str if bounds.decimal_places == 0 else format_number
    if bounds.min_value is not None and number < bounds.min_value:
        if bounds.min_value == 0:
            raise InputError(
                _("« %(value)s » : la valeur ne peut pas être négative.") % {"value": _shown(value)}
            )
        raise InputError(
            _("« %(value)s » : %(min)s au moins.")
            % {"value": _shown(value), "min": limit_text(bounds.min_value)}
        )
    if bounds.max_value is not None and number > bounds.max_value:
        raise InputError(
            _("« %(value)s » : %(max)s au plus.")
            % {"value": _shown(value), "max": limit_text(bounds.max_value)}
        )
    return number.quantize(Decimal(1).scaleb(-bounds.decimal_places))


def parse_integer(
    value: Any,
    *,
    min_value: int | None = None,
    max_value: int | None = None,
    required: bool = True,
    max_digits: int = 18,
) -> int | None:
    """Reads a whole number (`1 234`, `12`), bounded like a number field with no decimals."""
    bounds = DecimalBounds(
        max_digits,
        0,
        None if min_value is None else Decimal(min_value),
        None if max_value is None else Decimal(max_value),
    )
    number = parse_decimal(value, bounds, required=required)
    return None if number is None else int(number)


def parse_date(
    value: Any, *, required: bool = True, min_year: int = MIN_YEAR, max_year: int = MAX_YEAR
) -> dt.date | None:
    """Reads `31/01/2026` or `2026-01-31` (or a spreadsheet's date), between two years."""
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        text = "" if value is None else str(value).strip()
        if not text:
            if required:
                raise InputError(_("Valeur obligatoire."))
            return None
        day = _text_to_date(text)
    if not min_year <= day.year <= max_year:
        raise InputError(
            _("« %(value)s » : l'année doit être comprise entre %(min)s et %(max)s.")
            % {"value": format_date(day), "min": min_year, "max": max_year}
        )
    return day


def _text_to_date(text: str) -> dt.date:
    if len(text) <= 20 and re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{1,2}-\d{1,2}", text):
        for date_format in DATE_FORMATS:
            try:
                return dt.datetime.strptime(text, date_format).date()
            except ValueError:
                continue
    raise InputError(
        _("« %(value)s » n'est pas une date (attendu : 31/01/2026 ou 2026-01-31).")
        % {"value": _shown(text)}
    )


def format_date(day: dt.date) -> str:
    """31/01/2026, with a four-digit year whatever the year (never « 01/01/1 »)."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"
