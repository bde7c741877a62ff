from django import template

from mutualis.staffing.formatting import format_days

register = template.Library()


@register.filter
def days(value):
    """« 1 », « 2,5 », « 14 »: a number of days in French, no trailing « ,0 »."""
    return format_days(value)
