"""`{% deliberation_panel decision %}`: the register entry, meeting and vote behind a decision,
for the pages of the apps whose objects a délibération decides (a tariff, a lot, a run)."""

from django import template

from mutualis.governance.models import Deliberation

register = template.Library()


@register.inclusion_tag("governance/_deliberation_panel.html")
def deliberation_panel(decision):
    entry = None
    if decision is not None:
        entry = (
            Deliberation.objects.select_related("body", "meeting__body", "decision")
            .filter(decision=decision)
            .first()
        )
    quorum = entry.meeting.quorum() if entry and entry.meeting else None
    return {"entry": entry, "decision": decision, "quorum": quorum}
