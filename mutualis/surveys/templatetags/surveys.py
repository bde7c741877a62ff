"""Figures of the survey pages, written the French way."""

from decimal import Decimal

from django import template

from mutualis.core.numbers import decimal_comma

register = template.Library()
NBSP = "\u00a0"


@register.filter
def fr(value) -> str:
    """Decimal("3.5") -> « 3,5 »; None -> « — »."""
    if value is None or value == "":
        return "—"
    return decimal_comma(Decimal(value))


@register.filter
def percent(value) -> str:
    """Decimal("87.5") -> « 87,5 % »."""
    if value is None or value == "":
        return "—"
    return f"{decimal_comma(Decimal(value))}{NBSP}%"


@register.filter
def signed(value, unit: str = "") -> str:
    """A change: « +2,5 », « −1 », « 0 » (the unit after it, « points » for example)."""
    if value is None or value == "":
        return "—"
    value = Decimal(value)
    sign = "+" if value > 0 else ("\u2212" if value < 0 else "")
    text = f"{sign}{decimal_comma(abs(value))}"
    return f"{text}{NBSP}{unit}" if unit else text
