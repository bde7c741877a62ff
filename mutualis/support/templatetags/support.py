from django import template

from mutualis.support.figures import format_duration

register = template.Library()


@register.filter
def duration(seconds):
    """« 45 min », « 3,5 h », « 2 j 4 h »."""
    return format_duration(seconds)


@register.filter
def share(sla):
    """An SLA share as « 92 % (46 sur 50) », or « — » when nothing is counted."""
    if sla is None or sla.percent is None:
        return "—"
    return f"{round(sla.percent)} % ({sla.met} sur {sla.counted})"


@register.filter
def median(spread):
    """The median of a spread of durations, read (« — » when there is none)."""
    return format_duration(spread.median if spread else None)


@register.filter
def p90(spread):
    """The 90th percentile of a spread of durations, read (« — » when there is none)."""
    return format_duration(spread.p90 if spread else None)
