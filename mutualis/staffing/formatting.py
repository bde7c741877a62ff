"""Days as the French read them: « 1 », « 2,5 », « 14 » — never « 1.0 » nor « 14,0 »."""

from decimal import Decimal

from django.utils import formats


def format_days(value) -> str:
    """A number of days, localised, without trailing zeros."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        number = number.quantize(Decimal("1"))
    else:
        number = number.normalize()
    return formats.number_format(number, use_l10n=True)
