"""Operator page of a lot: its offers compared for the group's quantity, and the award."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mutualis.core.access import operator_required
from mutualis.core.forms import add_validation_error
from mutualis.purchasing import selectors
from mutualis.purchasing.forms import AwardForm, OfferForm
from mutualis.purchasing.models import CampaignStatus, Lot, Offer
from mutualis.purchasing.services.offers import lot_award as award_lot
from mutualis.purchasing.services.offers import offer_delete as delete_offer
from mutualis.purchasing.services.offers import offer_set
from mutualis.purchasing.views.common import WRITE, can_write, flash_error


def _lot(pk):
    return get_object_or_404(
        Lot.objects.select_related("campaign", "awarded_offer__supplier", "award_decision"),
        pk=pk,
    )


@operator_required(model=Lot, write=WRITE)
@require_http_methods(["GET", "POST"])
def lot_offers(request, pk):
    lot = _lot(pk)
    criteria = list(lot.campaign.criteria.all())
    form = OfferForm(request.POST or None, criteria=criteria)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            offer_set(
                lot=lot,
                supplier_name=data["supplier_name"],
                supplier_siren=data["supplier_siren"],
                unit_price=data["unit_price"],
                tiers=data["tiers"],
                scores=form.scores(),
                received_on=data["received_on"],
                note=data["note"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("L'offre est enregistrée."))
            return redirect("purchasing:lot_offers", pk=pk)
    return _page(request, lot, criteria, offer_form=form)


def _page(request, lot, criteria, offer_form=None, award_form=None):
    quantity, rows = selectors.lot_comparison(lot, criteria)
    open_ = lot.campaign.status == CampaignStatus.OFFERS
    return render(
        request,
        "purchasing/lot_offers.html",
        {
            "campaign": lot.campaign,
            "lot": lot,
            "criteria": criteria,
            "quantity": quantity,
            "rows": rows,
            "open": open_,
            "can_delete": open_ and can_write(request.user) and lot.awarded_offer_id is None,
            "can_write": can_write(request.user),
            "offer_form": offer_form or OfferForm(criteria=criteria),
            "award_form": award_form
            or AwardForm(lot=lot, ranked_ids=[row.offer.pk for row in rows]),
            "lots": lot.campaign.lots.order_by("number"),
            "tab": "offers",
        },
    )


@operator_required(WRITE, model=Lot)
@require_POST
def lot_award(request, pk):
    lot = _lot(pk)
    _quantity, rows = selectors.lot_comparison(lot, list(lot.campaign.criteria.all()))
    form = AwardForm(request.POST, lot=lot, ranked_ids=[row.offer.pk for row in rows])
    if form.is_valid():
        data = form.cleaned_data
        try:
            award_lot(
                lot=lot,
                offer=data["offer"],
                decision_body=data["decision_body"],
                decision_number=data["decision_number"],
                decision_date=data["decision_date"],
                justification=data["justification"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Le lot est attribué."))
            return redirect("purchasing:lot_offers", pk=pk)
    return _page(request, lot, list(lot.campaign.criteria.all()), award_form=form)


@operator_required(WRITE, model=Offer)
@require_POST
def offer_delete(request, pk):
    offer = get_object_or_404(Offer.objects.select_related("lot__campaign", "supplier"), pk=pk)
    try:
        delete_offer(offer=offer)
    except ValidationError as error:
        flash_error(request, error)
    else:
        messages.success(
            request,
            _("L'offre de %(supplier)s est supprimée.") % {"supplier": offer.supplier.name},
        )
    return redirect("purchasing:lot_offers", pk=offer.lot_id)
