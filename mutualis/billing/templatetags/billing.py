from django import template

from mutualis.billing.money import format_euros

register = template.Library()


@register.filter
def euros(cents):
    return format_euros(cents)


@register.filter
def euros_signed(cents):
    return format_euros(cents, sign=True)
