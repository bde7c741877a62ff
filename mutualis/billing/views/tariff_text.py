"""Tariffs readable by the comité: a version in French as a PDF, two versions side by side,
and the whole budget simulated under the draft tariffs."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from mutualis.billing.models import Tariff
from mutualis.billing.services.budget import simulate_budget
from mutualis.billing.services.simulation import chart_bars
from mutualis.billing.services.tariff_text import tariff_compare as compare_versions
from mutualis.billing.services.tariff_text import tariff_pdf as render_pdf
from mutualis.core.access import operator_required
from mutualis.core.numbers import InputError, parse_integer


@operator_required(model=Tariff)
@require_GET
def tariff_pdf(request, pk):
    tariff = get_object_or_404(Tariff.objects.select_related("service", "decision"), pk=pk)
    response = HttpResponse(render_pdf(tariff), content_type="application/pdf")
    name = f"tarif-{tariff.service.code}-{tariff.year}-v{tariff.version}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def _other_version(tariff: Tariff, wanted: str | None) -> Tariff | None:
    versions = Tariff.objects.filter(service=tariff.service).select_related("service", "decision")
    if wanted:
        try:
            return versions.exclude(pk=tariff.pk).filter(pk=int(wanted)).first()
        except ValueError:
            return None
    earlier = versions.filter(year=tariff.year, version__lt=tariff.version).order_by("-version")
    return earlier.first() or versions.exclude(pk=tariff.pk).order_by("-year", "-version").first()


@operator_required(model=Tariff)
@require_GET
def tariff_compare(request, pk):
    """This version (right) against another (left: `?avec=`, by default the version before)."""
    tariff = get_object_or_404(Tariff.objects.select_related("service", "decision"), pk=pk)
    other = _other_version(tariff, request.GET.get("avec"))
    choices = Tariff.objects.filter(service=tariff.service).exclude(pk=tariff.pk)
    return render(
        request,
        "billing/tariff_compare.html",
        {
            "tariff": tariff,
            "other": other,
            "pairs": compare_versions(other, tariff) if other is not None else [],
            "choices": choices.order_by("-year", "-version"),
        },
    )


@operator_required()
@require_GET
def budget_simulation(request):
    year = timezone.localdate().year
    error = ""
    if request.GET.get("annee"):
        try:
            year = parse_integer(request.GET["annee"], min_value=2000, max_value=2100) or year
        except InputError as exc:
            error = str(exc)
    result = simulate_budget(year=year)
    return render(
        request,
        "billing/budget_simulation.html",
        {"simulation": result, "chart": chart_bars(result), "year": year, "error": error},
    )
