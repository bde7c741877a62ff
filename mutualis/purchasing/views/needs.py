"""Operator pages on needs: who answered, needs per member, import and export."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from mutualis.core.access import operator_required
from mutualis.core.forms import add_validation_error
from mutualis.core.tabular import tabular_response
from mutualis.members.models import Member
from mutualis.purchasing import selectors
from mutualis.purchasing.exports import export_quantity, export_unit_price
from mutualis.purchasing.forms import NeedsForm
from mutualis.purchasing.models import Campaign, CampaignStatus, NeedSource
from mutualis.purchasing.services.needs import needs_set
from mutualis.purchasing.views.common import WRITE, can_write

STATUS_LABELS = {
    "answered": gettext_lazy("Répondu"),
    "late": gettext_lazy("Répondu en retard"),
    "pending": gettext_lazy("En attente"),
    "missing": gettext_lazy("Sans réponse"),
    "withdrawn": gettext_lazy("Retiré"),
}


@operator_required(model=Campaign)
def campaign_needs(request, pk):
    return _needs_page(request, pk)


def _needs_page(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    rows = selectors.needs_overview(campaign)
    lots = list(selectors.campaign_lots(campaign))
    return render(
        request,
        "purchasing/campaign_needs.html",
        {
            "campaign": campaign,
            "lots": lots,
            "rows": rows,
            "counts": selectors.status_counts(rows),
            "status_labels": STATUS_LABELS,
            "can_write": can_write(request.user),
            "tab": "needs",
        },
    )


@operator_required(WRITE, model=Campaign)
@require_http_methods(["GET", "POST"])
def needs_member(request, pk, member_pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    invitation = get_object_or_404(
        campaign.invitations.select_related("member"), member_id=member_pk
    )
    member: Member = invitation.member
    lots = list(campaign.lots.order_by("number"))
    needs = {n.lot_id: n for n in member.purchasing_needs.filter(lot__campaign=campaign)}
    form = NeedsForm(request.POST or None, lots=lots, needs=needs)
    if request.method == "POST" and form.is_valid():
        try:
            needs_set(
                campaign=campaign,
                member=member,
                entries=form.entries(),
                entered_by=request.user,
                source=NeedSource.OPERATOR,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(
                request, _("Besoins de %(member)s enregistrés.") % {"member": member.name}
            )
            return redirect("purchasing:campaign_needs", pk=pk)
    return render(
        request,
        "purchasing/needs_member.html",
        {
            "campaign": campaign,
            "member": member,
            "form": form,
            "open": campaign.status == CampaignStatus.NEEDS,
            "late": timezone.localdate() > campaign.needs_deadline,
            "tab": "needs",
        },
    )


@operator_required(model=Campaign)
def needs_export(request, pk):
    """Aggregated needs per lot, for the specification (?format=csv or xlsx)."""
    campaign = get_object_or_404(Campaign, pk=pk)
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    headers = [
        _("lot"),
        _("intitule"),
        _("unite"),
        _("membres"),
        _("quantite_totale"),
        _("quantite_maximale"),
        _("prix_reference_marche"),
    ]
    rows = [
        [
            lot.number,
            lot.name,
            lot.unit,
            lot.need_count,
            export_quantity(lot.total_quantity or 0),
            export_quantity(lot.max_quantity),
            export_unit_price(lot.reference_unit_price),
        ]
        for lot in selectors.campaign_lots(campaign)
    ]
    return tabular_response(
        file_stem=f"besoins-campagne-{campaign.pk}", fmt=fmt, headers=headers, rows=rows
    )
