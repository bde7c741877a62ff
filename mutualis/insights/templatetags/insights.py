from decimal import ROUND_HALF_UP, Decimal

from django import template

from mutualis.billing.money import format_euros, format_quantity

register = template.Library()


@register.filter
def euros_rounded(cents):
    """Cents that may have decimals (a figure per inhabitant), to the cent."""
    if cents is None:
        return "—"
    return format_euros(int(Decimal(cents).quantize(Decimal(1), rounding=ROUND_HALF_UP)))


@register.filter
def quantity(value):
    return format_quantity(Decimal(value))
