"""« Mon espace » — grouped purchasing: the member's campaigns, needs, result and orders."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mutualis.core import roles
from mutualis.core.access import member_required
from mutualis.core.forms import add_validation_error
from mutualis.purchasing import savings, selectors
from mutualis.purchasing.forms import NeedsForm, OrderForm
from mutualis.purchasing.models import Campaign, CampaignStatus, Need, NeedSource
from mutualis.purchasing.services.needs import invitation_withdraw, needs_set
from mutualis.purchasing.services.orders import order_create
from mutualis.purchasing.views.labels import BASIS_LABELS
from mutualis.purchasing.views.needs import STATUS_LABELS


def _campaigns(member):
    return Campaign.objects.filter(invitations__member=member).exclude(status=CampaignStatus.DRAFT)


@member_required()
def portal_campaigns(request, member):
    today = timezone.localdate()
    rows = []
    for invitation in (
        member.purchasing_invitations.exclude(campaign__status=CampaignStatus.DRAFT)
        .select_related("campaign")
        .order_by("-campaign__needs_deadline", "pk")
    ):
        campaign = invitation.campaign
        rows.append(
            {
                "campaign": campaign,
                "status": selectors.answer_status(invitation, campaign.needs_deadline, today),
            }
        )
    return render(
        request,
        "purchasing/portal/campaigns.html",
        {"member": member, "rows": rows, "status_labels": STATUS_LABELS},
    )


def _previous_prices(campaign, member):
    """The member's previous awarded prices, offered as its current ones on a renewal."""
    if campaign.renewed_from_id is None:
        return {}
    lots = list(campaign.lots.select_related("previous_lot").filter(previous_lot__isnull=False))
    had = set(
        Need.objects.filter(
            lot_id__in=[lot.previous_lot_id for lot in lots], member=member
        ).values_list("lot_id", flat=True)
    )
    return {
        lot.pk: lot.previous_lot.awarded_unit_price
        for lot in lots
        if lot.previous_lot_id in had and lot.previous_lot.awarded_unit_price is not None
    }


@member_required(model=Campaign, write=roles.PURCHASING_ANSWER)
@require_http_methods(["GET", "POST"])
def portal_campaign(request, member, pk):
    campaign = get_object_or_404(_campaigns(member), pk=pk)
    invitation = member.purchasing_invitations.get(campaign=campaign)
    today = timezone.localdate()
    lots = list(campaign.lots.order_by("number"))
    may_write = roles.PURCHASING_ANSWER.allows(request.user)
    can_answer = (
        may_write and campaign.status == CampaignStatus.NEEDS and today <= campaign.needs_deadline
    )
    form = None
    if can_answer:
        needs = {n.lot_id: n for n in member.purchasing_needs.filter(lot__campaign=campaign)}
        form = NeedsForm(
            request.POST or None,
            lots=lots,
            needs=needs,
            previous_prices=_previous_prices(campaign, member),
        )
        if request.method == "POST" and form.is_valid():
            try:
                needs_set(
                    campaign=campaign,
                    member=member,
                    entries=form.entries(),
                    entered_by=request.user,
                    source=NeedSource.PORTAL,
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("Vos besoins sont transmis à l'opérateur."))
                return redirect("purchasing_portal:campaign", member_pk=member.pk, pk=pk)
    elif request.method == "POST":
        messages.error(request, _("Le recueil des besoins de cette campagne est fermé."))
        return redirect("purchasing_portal:campaign", member_pk=member.pk, pk=pk)
    context = {
        "member": member,
        "campaign": campaign,
        "invitation": invitation,
        "status": selectors.answer_status(invitation, campaign.needs_deadline, today),
        "status_labels": STATUS_LABELS,
        "lots": lots,
        "form": form,
        "can_answer": can_answer,
        "my_needs": member.purchasing_needs.filter(lot__campaign=campaign).select_related("lot"),
    }
    if campaign.is_awarded:
        lines = selectors.need_lines(campaign, member=member)
        context |= {
            "lines": lines,
            "totals": savings.totals(line.result for line in lines),
            "basis_labels": BASIS_LABELS,
            "consumption": selectors.consumption(campaign, member=member),
            "orders": member.purchasing_orders.filter(lot__campaign=campaign).select_related("lot"),
            "order_form": OrderForm(campaign=campaign)
            if may_write and campaign.status == CampaignStatus.AWARDED and invitation.participates
            else None,
        }
    return render(request, "purchasing/portal/campaign.html", context)


@member_required(model=Campaign, write=roles.PURCHASING_ANSWER)
@require_POST
def portal_withdraw(request, member, pk):
    campaign = get_object_or_404(_campaigns(member), pk=pk)
    try:
        invitation_withdraw(campaign=campaign, member=member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Votre collectivité se retire de ce groupement."))
    return redirect("purchasing_portal:campaign", member_pk=member.pk, pk=pk)


@member_required(model=Campaign, write=roles.PURCHASING_ANSWER)
@require_POST
def portal_order(request, member, pk):
    campaign = get_object_or_404(_campaigns(member), pk=pk)
    form = OrderForm(request.POST, campaign=campaign)
    if form.is_valid():
        try:
            order_create(member=member, entered_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Votre commande est enregistrée."))
    else:
        messages.error(
            request,
            " ".join(str(e) for errors in form.errors.values() for e in errors),
        )
    return redirect("purchasing_portal:campaign", member_pk=member.pk, pk=pk)
