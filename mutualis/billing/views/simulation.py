from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from mutualis.billing.forms import SimulationForm
from mutualis.billing.services import exports
from mutualis.billing.services.simulation import (
    SIMULATION_HEADERS,
    chart_bars,
    simulate,
    simulation_rows,
)
from mutualis.core.access import operator_required
from mutualis.core.tabular import tabular_response


def _simulation(form: SimulationForm):
    data = form.cleaned_data
    candidate = data["candidate"]
    return simulate(
        candidate=candidate,
        base=data.get("base"),
        base_run=data.get("base_run"),
        year=data.get("year") or candidate.year,
    )


@operator_required()
@require_GET
def simulation(request):
    form = SimulationForm(request.GET or None)
    context = {"form": form, "simulation": None, "query": request.GET.urlencode()}
    if form.is_bound and form.is_valid():
        result = _simulation(form)
        context.update(simulation=result, chart=chart_bars(result))
    return render(request, "billing/simulation.html", context)


@operator_required()
@require_GET
def simulation_export(request, fmt):
    form = SimulationForm(request.GET)
    if not form.is_valid():
        return redirect(f"{reverse('billing:simulation')}?{request.GET.urlencode()}")
    result = _simulation(form)
    candidate = form.cleaned_data["candidate"]
    return tabular_response(
        file_stem=exports.file_stem("simulation", candidate.service.code, result.year),
        fmt=fmt,
        headers=SIMULATION_HEADERS,
        rows=simulation_rows(result),
    )
