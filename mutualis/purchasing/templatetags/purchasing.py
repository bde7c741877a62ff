"""Money, prices, quantities and rates written the French way, exactly (no floats)."""

from decimal import Decimal

from django import template

from mutualis.engine.money import group_thousands

register = template.Library()

NBSP = "\u202f"


def format_decimal(value: Decimal, min_places: int = 0) -> str:
    """Decimal("1234.5000") -> "1 234,50" (min_places=2), trailing zeros trimmed above."""
    sign = "-" if value < 0 else ""
    text = f"{abs(value):f}"
    whole, _dot, fraction = text.partition(".")
    fraction = fraction.rstrip("0")
    fraction = fraction.ljust(min_places, "0")
    return sign + group_thousands(whole) + (f",{fraction}" if fraction else "")


@register.filter
def euros(cents) -> str:
    """Integer cents -> "1 234,56 €"."""
    if cents is None or cents == "":
        return "—"
    value = Decimal(int(cents)) / 100
    return f"{format_decimal(value.quantize(Decimal('0.01')), 2)}{NBSP}€"


@register.filter
def unit_price(value) -> str:
    """A unit price, at least 2 decimals: Decimal("0.4000") -> "0,40 €"."""
    if value is None or value == "":
        return "—"
    return f"{format_decimal(Decimal(value), 2)}{NBSP}€"


@register.filter
def quantity(value) -> str:
    if value is None or value == "":
        return "—"
    return format_decimal(Decimal(value))


@register.filter
def rate(value) -> str:
    """Decimal("0.6667") -> "66,7 %"."""
    if value is None or value == "":
        return "—"
    return f"{format_decimal((Decimal(value) * 100).quantize(Decimal('0.1')), 1)}{NBSP}%"


@register.filter
def get_item(mapping, key):
    return mapping.get(key)
