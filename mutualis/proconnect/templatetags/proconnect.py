from django import template

from mutualis.proconnect import config

register = template.Library()


@register.inclusion_tag("proconnect/button.html", takes_context=True)
def proconnect_button(context):
    """ProConnect's button (its official look), when ProConnect is configured."""
    return {"enabled": config.enabled(), "next": context.get("next", "")}


@register.simple_tag
def proconnect_enabled() -> bool:
    return config.enabled()
