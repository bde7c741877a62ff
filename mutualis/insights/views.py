"""The élus' view: one page per member — what we pay, use and save — for the operator's
élus (the read-only role lands here) and for a member's own agents."""

from contextlib import suppress
from decimal import Decimal

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mutualis.alerts.elus import water_energy
from mutualis.billing.services.identity import operator_identity
from mutualis.core.access import authenticated, member_required, operator_required
from mutualis.core.htmx import wants_fragment
from mutualis.core.jobs import JobStatus, fail_abandoned
from mutualis.core.numbers import InputError, decimal_comma, parse_integer
from mutualis.core.roles import Capability, has_capability
from mutualis.insights import selectors, services
from mutualis.insights.forms import ReportBatchForm, SavingsReferenceForm
from mutualis.insights.models import ReportBatch, savings_reference
from mutualis.insights.report import member_report_pdf, report_file_name
from mutualis.members.models import Member

MAX_LISTED = 60
MIN_YEAR, MAX_YEAR = 2000, 2100


@authenticated
def home(request):
    """Operator staff choose a member; an agent goes to its member (or chooses among its)."""
    query = request.GET.get("q", "").strip()[:100]
    members = Member.objects.visible_to(request.user).order_by("search_name", "pk")
    staff = has_capability(request.user, Capability.VIEW_ALL)
    if not staff and members.count() == 1:
        return redirect("insights:member", member_pk=members.get().pk)
    members = selectors.listed_members(members, query)
    return render(
        request,
        "insights/home.html",
        {"members": members[:MAX_LISTED], "query": query, "staff": staff},
    )


@member_required()
@require_GET
def member_page(request, member):
    year = selectors.default_year(member)
    error = ""
    typed = request.GET.get("annee", "").strip()[:20]
    if typed:
        try:
            year = parse_integer(typed, min_value=MIN_YEAR, max_value=MAX_YEAR) or year
        except InputError as exc:
            error = _("Année refusée — %(why)s Voici l'année %(year)s, affichée par défaut.") % {
                "why": exc.message,
                "year": year,
            }
    return render(
        request,
        "insights/member.html",
        {
            "page": selectors.member_page(member, year),
            "water_energy": water_energy(member, year),  # the alerts' « Eau et énergie »
            "year_error": error,
            "typed_year": typed,
            "staff": has_capability(request.user, Capability.VIEW_ALL),
        },
    )


@operator_required(write=Capability.MANAGE_STAFFING)
@require_http_methods(["GET", "POST"])
def references(request):
    reference = savings_reference()
    initial = {
        # money shows its two decimals in the input too: « 260,00 », not « 260 » or « 260,0 »
        "staff_day_cost": decimal_comma(Decimal(reference.staff_day_cost_cents).scaleb(-2)),
        "staff_day_cost_source": reference.staff_day_cost_source,
    }
    form = SavingsReferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.savings_reference_update(**form.cleaned_data)
        messages.success(request, _("Références des économies enregistrées."))
        return redirect("insights:references")
    return render(
        request,
        "insights/references.html",
        {
            "form": form,
            "reference": reference,
            "can_edit": has_capability(request.user, Capability.MANAGE_STAFFING),
        },
    )


@member_required()
@require_GET
def member_report(request, member):
    """The member's page as a one-page PDF for its élus."""
    year = selectors.default_year(member)
    if request.GET.get("annee"):
        with suppress(InputError):  # a bad year: the default one
            year = (
                parse_integer(request.GET["annee"], min_value=MIN_YEAR, max_value=MAX_YEAR) or year
            )
    page = selectors.member_page(member, year)
    response = HttpResponse(
        member_report_pdf(page, operator_identity().name or None), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{report_file_name(page)}"'
    return response


@operator_required(write=Capability.MANAGE_MEMBERS)
@require_http_methods(["GET", "POST"])
def report_batches(request):
    form = ReportBatchForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        batch = services.report_batch_request(
            year=form.cleaned_data["year"], created_by=request.user
        )
        messages.success(request, _("Les rapports sont en préparation."))
        return redirect("insights:report_batch", pk=batch.pk)
    fail_abandoned(ReportBatch)
    return render(
        request,
        "insights/report_batches.html",
        {
            "form": form,
            "batches": ReportBatch.objects.defer("archive")[:20],
            "can_launch": has_capability(request.user, Capability.MANAGE_MEMBERS),
        },
    )


@operator_required(model=ReportBatch)
@require_GET
def report_batch(request, pk):
    fail_abandoned(ReportBatch)
    batch = get_object_or_404(ReportBatch.objects.defer("archive"), pk=pk)
    template = "insights/_batch_status.html" if wants_fragment(request) else "insights/batch.html"
    return render(request, template, {"batch": batch})


@operator_required(model=ReportBatch)
@require_GET
def report_batch_zip(request, pk):
    batch = get_object_or_404(ReportBatch, pk=pk, status=JobStatus.SUCCEEDED)
    response = HttpResponse(bytes(batch.archive), content_type="application/zip")
    name = f"rapports-mutualisation-{batch.year}-{batch.pk}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
