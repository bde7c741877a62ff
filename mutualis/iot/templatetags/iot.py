import datetime as dt
from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from mutualis.core.numbers import format_number

register = template.Library()


@register.filter
def duration(value: dt.timedelta | None) -> str:
    """« 12 s », « 3 min 20 s », « 2 h 5 min »; « — » when there is none."""
    if value is None:
        return "—"
    seconds = max(0, round(value.total_seconds()))
    if seconds < 60:
        return _("%(s)s s") % {"s": seconds}
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return _("%(m)s min %(s)s s") % {"m": minutes, "s": seconds}
    hours, minutes = divmod(minutes, 60)
    return _("%(h)s h %(m)s min") % {"h": format_number(hours), "m": minutes}


@register.filter
def reading(value: float | None, digits: int = 2) -> str:
    """A measured value in French (« 21,5 », « 1 234,25 »), « — » when there is none."""
    if value is None:
        return "—"
    return format_number(Decimal(str(round(value, digits))))
