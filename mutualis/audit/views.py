"""The administrator's search in the audit trail: read-only, no page writes to it."""

from django.shortcuts import render

from mutualis.audit import selectors
from mutualis.audit.forms import AuditSearchForm
from mutualis.core.access import operator_required
from mutualis.core.roles import Capability


@operator_required(Capability.VIEW_AUDIT, write=None)
def search(request):
    form = AuditSearchForm(request.GET or None)
    entries = None
    if form.is_valid():
        data = form.cleaned_data
        entries = selectors.search(
            model_label=data["model"],
            username=data["user"].strip(),
            since=data["since"],
            until=data["until"],
            object_id=data["object_id"],
        )
    return render(request, "audit/search.html", {"form": form, "entries": entries})
