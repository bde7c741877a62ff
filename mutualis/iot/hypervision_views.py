"""The operator's hypervision screen: what needs action, refreshed every 30 s by htmx."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from mutualis.core.access import operator_required
from mutualis.core.htmx import wants_fragment
from mutualis.iot import hypervision as selectors
from mutualis.iot.forms import SensorFilterForm
from mutualis.iot.models import SensorKind
from mutualis.members.models import Member

REFRESH_SECONDS = 30


@operator_required()
@require_GET
def hypervision(request):
    form = SensorFilterForm(request.GET or None)
    cleaned = form.cleaned_data if form.is_valid() else {}
    filters = selectors.Filters(
        member=cleaned.get("member"),
        kind=cleaned.get("kind", ""),
        commune=cleaned.get("commune"),
        building=cleaned.get("building", "").strip(),
    )
    auto = request.GET.get("auto") != "0"
    params = request.GET.copy()
    params["auto"] = "1" if not auto else "0"
    context = {
        "form": form,
        # The member menu drawn by the template itself: Django's Select widget renders each
        # of hundreds of options through a template of its own.
        "members": Member.objects.order_by("name").values_list("pk", "name"),
        "chosen": {
            "member": filters.member.pk if filters.member is not None else None,
            "kind": filters.kind,
            "commune": request.GET.get("commune", "")[:5],
            "building": filters.building,
        },
        "kinds": SensorKind.choices,
        "commune_error": form.errors.get("commune") if form.is_bound else None,
        "board": selectors.hypervision(filters, user=request.user),
        "auto": auto,
        "refresh": REFRESH_SECONDS,
        "toggle_query": params.urlencode(),
        "filtered": filters.any,
    }
    if wants_fragment(request):
        return render(request, "iot/_hypervision.html", context)
    return render(request, "iot/hypervision.html", context)
