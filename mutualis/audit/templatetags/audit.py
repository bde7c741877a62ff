"""`{% history_panel obj [other objects or querysets…] %}`: the « Historique » of the objects
shown on a page, for operator staff only; never a form, never editable."""

from django import template

from mutualis.audit.selectors import history_of
from mutualis.core.roles import is_operator_staff

register = template.Library()


@register.inclusion_tag("audit/_history_panel.html", takes_context=True)
def history_panel(context, *objects):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not is_operator_staff(user):
        return {"entries": None}
    return {"entries": history_of(*objects)}
