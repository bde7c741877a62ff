"""Operator pages: campaign list, creation, overview (lots, criteria, invitations, status)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from mutualis.core.access import operator_required
from mutualis.core.forms import add_validation_error
from mutualis.purchasing import selectors
from mutualis.purchasing.forms import (
    CampaignForm,
    CriterionForm,
    InvitationForm,
    LotForm,
    RenewForm,
)
from mutualis.purchasing.models import Campaign, CampaignStatus, Lot
from mutualis.purchasing.services import campaigns as services
from mutualis.purchasing.services.campaigns import TRANSITIONS
from mutualis.purchasing.services.offers import criterion_create
from mutualis.purchasing.views.common import WRITE, can_write, flash_error


@operator_required()
def index(request):
    return render(
        request,
        "purchasing/index.html",
        {"campaigns": selectors.campaign_list(request.user), "can_write": can_write(request.user)},
    )


@operator_required(WRITE)
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    form = CampaignForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("La campagne est créée : ajoutez ses lots."))
            return redirect("purchasing:campaign_detail", pk=campaign.pk)
    return render(request, "purchasing/campaign_form.html", {"form": form, "campaign": None})


@operator_required(WRITE, model=Campaign)
@require_http_methods(["GET", "POST"])
def campaign_edit(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    form = CampaignForm(request.POST or None, request.FILES or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(campaign=campaign, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("La campagne est enregistrée."))
            return redirect("purchasing:campaign_detail", pk=campaign.pk)
    return render(request, "purchasing/campaign_form.html", {"form": form, "campaign": campaign})


# Prefixes keep the ids of the forms of the campaign page apart (lot and criterion both
# have a `name` field): each label targets its own input.
LOT_PREFIX = "lot"
CRITERION_PREFIX = "criterion"
STATUS_ORDER = list(CampaignStatus)


def _transitions(campaign):
    return [CampaignStatus(s) for s in TRANSITIONS[campaign.status]]


def _is_backward(campaign, status) -> bool:
    return STATUS_ORDER.index(CampaignStatus(status)) < STATUS_ORDER.index(
        CampaignStatus(campaign.status)
    )


def _confirmation_reasons(campaign, status) -> list[str]:
    """Why moving the campaign to `status` should be confirmed first (empty: no need)."""
    reasons = []
    if _is_backward(campaign, status):
        reasons.append(_("Vous revenez à une étape précédente : « %(s)s ».") % {"s": status.label})
    if campaign.status == CampaignStatus.NEEDS and status == CampaignStatus.OFFERS:
        pending = selectors.status_counts(selectors.needs_overview(campaign))["pending"]
        if pending:
            reasons.append(
                ngettext(
                    "%(n)s membre invité n'a pas encore répondu et la date limite du "
                    "%(day)s n'est pas passée.",
                    "%(n)s membres invités n'ont pas encore répondu et la date limite du "
                    "%(day)s n'est pas passée.",
                    pending,
                )
                % {"n": pending, "day": campaign.needs_deadline.strftime("%d/%m/%Y")}
            )
    return reasons


def _campaign(pk):
    return get_object_or_404(
        Campaign.objects.select_related("fee_service", "renewed_from", "invitation_epci"), pk=pk
    )


@operator_required(model=Campaign)
def campaign_detail(request, pk):
    return _detail(request, pk)


def _detail(request, pk, lot_form=None, criterion_form=None, invitation_form=None):
    campaign = _campaign(pk)
    rows = selectors.needs_overview(campaign)
    return render(
        request,
        "purchasing/campaign_detail.html",
        {
            "campaign": campaign,
            "lots": selectors.campaign_lots(campaign),
            "criteria": campaign.criteria.all(),
            "counts": selectors.status_counts(rows),
            "invited": len(rows),
            "forward": [s for s in _transitions(campaign) if not _is_backward(campaign, s)],
            "backward": [s for s in _transitions(campaign) if _is_backward(campaign, s)],
            "can_write": can_write(request.user),
            "editable": campaign.status in (CampaignStatus.DRAFT, CampaignStatus.NEEDS),
            "lot_form": lot_form or LotForm(prefix=LOT_PREFIX),
            "criterion_form": criterion_form or CriterionForm(prefix=CRITERION_PREFIX),
            "invitation_form": invitation_form or InvitationForm(),
            "tab": "overview",
        },
    )


@operator_required(WRITE, model=Campaign)
@require_POST
def campaign_status(request, pk):
    """Moves the campaign on (or back). Going back, or closing the needs while invitees may
    still answer, first shows a confirmation page (a second POST with `confirmed`)."""
    campaign = get_object_or_404(Campaign, pk=pk)
    status = request.POST.get("status", "")
    if status in TRANSITIONS.get(campaign.status, ()) and not request.POST.get("confirmed"):
        reasons = _confirmation_reasons(campaign, CampaignStatus(status))
        if reasons:
            return render(
                request,
                "purchasing/campaign_status_confirm.html",
                {
                    "campaign": campaign,
                    "status": CampaignStatus(status),
                    "reasons": reasons,
                    "backward": _is_backward(campaign, status),
                    "tab": "overview",
                },
            )
    try:
        campaign = services.campaign_transition(campaign=campaign, status=status)
    except (ValidationError, ValueError) as error:
        if isinstance(error, ValueError):
            error = ValidationError(_("Statut inconnu."))
        flash_error(request, error)
    else:
        messages.success(
            request, _("La campagne passe à « %(s)s ».") % {"s": campaign.get_status_display()}
        )
    return redirect("purchasing:campaign_detail", pk=pk)


@operator_required(WRITE, model=Campaign)
@require_POST
def lot_add(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    form = LotForm(request.POST, prefix=LOT_PREFIX)
    if form.is_valid():
        try:
            services.lot_create(campaign=campaign, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Le lot est ajouté."))
            return redirect("purchasing:campaign_detail", pk=pk)
    return _detail(request, pk, lot_form=form)


@operator_required(WRITE, model=Lot)
@require_http_methods(["GET", "POST"])
def lot_edit(request, pk):
    lot = get_object_or_404(Lot.objects.select_related("campaign"), pk=pk)
    form = LotForm(request.POST or None, instance=lot)
    if request.method == "POST" and form.is_valid():
        try:
            services.lot_update(lot=lot, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Le lot est enregistré."))
            return redirect("purchasing:campaign_detail", pk=lot.campaign_id)
    return render(request, "purchasing/lot_form.html", {"form": form, "lot": lot})


@operator_required(WRITE, model=Campaign)
@require_POST
def criterion_add(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    form = CriterionForm(request.POST, prefix=CRITERION_PREFIX)
    if form.is_valid():
        try:
            criterion_create(campaign=campaign, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Le critère est ajouté."))
            return redirect("purchasing:campaign_detail", pk=pk)
    return _detail(request, pk, criterion_form=form)


@operator_required(WRITE, model=Campaign)
@require_POST
def campaign_invite(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    form = InvitationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            added = services.campaign_invite(
                campaign=campaign,
                mode=data["mode"],
                kind=data["kind"],
                epci=data["epci"],
                members=data["members"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("%(n)s membre(s) invité(s).") % {"n": added})
            return redirect("purchasing:campaign_detail", pk=pk)
    return _detail(request, pk, invitation_form=form)


@operator_required(WRITE, model=Campaign)
@require_http_methods(["GET", "POST"])
def campaign_renew(request, pk):
    source = get_object_or_404(Campaign, pk=pk)
    if not source.is_awarded:
        messages.error(request, _("Seule une campagne attribuée peut être renouvelée."))
        return redirect("purchasing:campaign_detail", pk=pk)
    form = RenewForm(request.POST or None, initial={"name": source.name})
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_renew(
                source=source, created_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("La campagne est renouvelée : vérifiez ses lots."))
            return redirect("purchasing:campaign_detail", pk=campaign.pk)
    return render(request, "purchasing/campaign_renew.html", {"form": form, "source": source})
