"""Operator pages after the award: each member's savings, orders and consumption, fee."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mutualis.core.access import operator_required
from mutualis.core.forms import add_validation_error
from mutualis.core.tabular import tabular_response
from mutualis.members.models import Member, MemberKind
from mutualis.purchasing import selectors
from mutualis.purchasing.exports import export_cents, export_quantity, export_unit_price
from mutualis.purchasing.forms import FeeForm, OrderForm
from mutualis.purchasing.models import Campaign
from mutualis.purchasing.services.fee import campaign_fee_record
from mutualis.purchasing.services.orders import order_create
from mutualis.purchasing.views.common import WRITE, can_write, flash_error
from mutualis.purchasing.views.labels import BAND_LABELS, BASIS_LABELS


@operator_required(model=Campaign)
def campaign_results(request, pk):
    campaign = get_object_or_404(Campaign.objects.select_related("fee_service"), pk=pk)
    results = selectors.campaign_results(campaign)
    kinds = dict(MemberKind.choices)
    return render(
        request,
        "purchasing/campaign_results.html",
        {
            "campaign": campaign,
            **results,
            "by_kind": [(kinds.get(k, k), t) for k, t in sorted(results["by_kind"].items())],
            "by_band": [
                (label, results["by_band"][key])
                for key, label in BAND_LABELS.items()
                if key in results["by_band"]
            ],
            "basis_labels": BASIS_LABELS,
            "fee_form": FeeForm(initial={"year": timezone.localdate().year}),
            "can_write": can_write(request.user),
            "tab": "results",
        },
    )


@operator_required(model=Campaign)
def results_export(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    headers = [
        "membre",
        "siren",
        "type",
        "population",
        "lot",
        "quantite",
        "prix_attribue",
        "montant_annuel",
        "prix_reference",
        "base_reference",
        "montant_seul",
        "economie",
    ]
    rows = []
    for line in selectors.need_lines(campaign):
        need, result = line.need, line.result
        rows.append(
            [
                need.member.name,
                need.member.siren,
                need.member.get_kind_display(),
                need.member.population if need.member.population is not None else "",
                need.lot.number,
                export_quantity(need.quantity),
                export_unit_price(result.line.awarded_price),
                export_cents(result.amount_cents),
                export_unit_price(result.reference_price),
                str(BASIS_LABELS[result.basis]),
                export_cents(result.alone_cents),
                export_cents(result.saving_cents),
            ]
        )
    return tabular_response(
        file_stem=f"economies-campagne-{campaign.pk}", fmt=fmt, headers=headers, rows=rows
    )


@operator_required(model=Campaign, write=WRITE)
@require_http_methods(["GET", "POST"])
def campaign_orders(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    participants = Member.objects.filter(
        pk__in=campaign.invitations.participating().values("member_id")
    ).order_by("name")
    form = OrderForm(request.POST or None, campaign=campaign, members=participants)
    if request.method == "POST" and form.is_valid():
        try:
            order_create(entered_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("La commande est enregistrée."))
            return redirect("purchasing:campaign_orders", pk=pk)
    return render(
        request,
        "purchasing/campaign_orders.html",
        {
            "campaign": campaign,
            "consumption_data": (data := selectors.consumption(campaign)),
            "lot_rows": data["lot_rows"],
            "form": form,
            "can_write": can_write(request.user),
            "tab": "orders",
        },
    )


@operator_required(WRITE, model=Campaign)
@require_POST
def campaign_fee(request, pk):
    campaign = get_object_or_404(Campaign.objects.select_related("fee_service"), pk=pk)
    form = FeeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez une année valide."))
        return redirect("purchasing:campaign_results", pk=pk)
    try:
        counts = campaign_fee_record(
            campaign=campaign, year=form.cleaned_data["year"], recorded_by=request.user
        )
    except ValidationError as error:
        flash_error(request, error)
    else:
        messages.success(
            request,
            _(
                "Frais enregistrés comme consommation : %(created)s créée(s), "
                "%(replaced)s remplacée(s), %(unchanged)s inchangée(s)."
            )
            % counts,
        )
    return redirect("purchasing:campaign_results", pk=pk)
