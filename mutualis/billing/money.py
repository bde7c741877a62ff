"""Displaying integer cents: "1 550,00 €" (narrow no-break space between thousands)."""

from decimal import Decimal

from mutualis.engine.money import group_thousands

THIN = "\u202f"


def euros_decimal(cents: int) -> Decimal:
    return Decimal(int(cents)).scaleb(-2)


def format_euros(cents: int | None, *, sign: bool = False, unit: bool = True) -> str:
    if cents is None:
        return "—"
    cents = int(cents)
    negative = cents < 0
    whole, rest = divmod(abs(cents), 100)
    text = group_thousands(str(whole)) + f",{rest:02d}"
    if negative:
        text = "−" + text
    elif sign and cents > 0:
        text = "+" + text
    return f"{text}{THIN}€" if unit else text


def format_percent(numerator: int, denominator: int) -> str:
    """A change in percent with one decimal, "—" when there is nothing to compare with."""
    if not denominator:
        return "—"
    value = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"))
    text = str(abs(value)).replace(".", ",")
    if value < 0:
        return f"−{text}{THIN}%"
    return f"+{text}{THIN}%" if value > 0 else f"0,0{THIN}%"


def format_quantity(quantity: Decimal) -> str:
    """ "1234.500" → « 1 234,5 »: French decimal comma, thousands grouped, no useless zeros."""
    value = Decimal(quantity).normalize()
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    whole, _, fraction = f"{abs(value):f}".partition(".")
    text = group_thousands(whole) + (f",{fraction}" if fraction else "")
    return f"−{text}" if value < 0 else text
