"""Decimals of the exports written alike: money with 2 decimals, quantities as they are."""

from decimal import Decimal

CENT = Decimal("0.01")


def export_quantity(value) -> Decimal | str:
    """Decimal("38.00") -> 38, Decimal("12.50") -> 12.5 (never an exponent)."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def export_cents(cents) -> Decimal | str:
    """Integer cents -> euros with 2 decimals: 38000 -> 380.00."""
    if cents is None or cents == "":
        return ""
    return (Decimal(int(cents)) / 100).quantize(CENT)


def export_unit_price(value) -> Decimal | str:
    """A unit price: 2 decimals at least, more only when they matter (0.4550 -> 0.455)."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    if value == value.quantize(CENT):
        return value.quantize(CENT)
    return value.normalize()
