"""Pages of the LoRaWAN gateways: the operator's (every gateway, MANAGE_IOT writes) and
« Mon espace » (a member's agents register and edit the member's own gateways, never
another member's nor the operator's)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mutualis.core import roles
from mutualis.core.access import member_required, operator_required
from mutualis.core.forms import add_validation_error
from mutualis.core.roles import Capability, has_capability
from mutualis.iot import services
from mutualis.iot.forms import GatewayForm
from mutualis.iot.models import Gateway

MANAGE = Capability.MANAGE_IOT
GATEWAY_WRITE = roles.agents_and(MANAGE)  # the member's agents, IoT managers


def _data(cleaned, owner) -> services.GatewayData:
    return services.GatewayData(
        name=cleaned["name"].strip(),
        owner=owner,
        commune=cleaned["commune"],
        latitude=cleaned["latitude"],
        longitude=cleaned["longitude"],
    )


def _initial(gateway: Gateway) -> dict:
    return {
        "eui": gateway.eui,
        "name": gateway.name,
        "owner": gateway.owner,
        "commune": gateway.commune.insee_code if gateway.commune else "",
        "latitude": gateway.latitude,
        "longitude": gateway.longitude,
    }


def _save(request, form, *, gateway: Gateway | None, owner) -> bool:
    """The form's gateway written; False (the form carries the errors) when refused."""
    if request.method != "POST" or not form.is_valid():
        return False
    data = _data(form.cleaned_data, owner(form.cleaned_data))
    try:
        if gateway is None:
            services.gateway_create(eui=form.cleaned_data["eui"], data=data)
            messages.success(request, _("Passerelle enregistrée."))
        else:
            changed = services.gateway_update(gateway=gateway, data=data)
            messages.success(
                request, _("Passerelle modifiée.") if changed else _("Rien n'a changé.")
            )
    except ValidationError as error:
        add_validation_error(form, error)
        return False
    return True


def _page(gateways, request):
    gateways = gateways.select_related("owner", "commune").order_by("name", "eui")
    return Paginator(gateways, 50).get_page(request.GET.get("page"))


def _form_page(request, form, gateway, member=None):
    return render(
        request,
        "iot/gateway_form.html",
        {"form": form, "gateway": gateway, "member": member},
        status=400 if form.errors else 200,
    )


@operator_required()
@require_GET
def gateway_list(request):
    return render(
        request,
        "iot/gateway_list.html",
        {
            "page": _page(Gateway.objects.visible_to(request.user), request),
            "query": "",
            "can_manage": has_capability(request.user, MANAGE),
        },
    )


@operator_required(MANAGE)
@require_http_methods(["GET", "POST"])
def gateway_create(request):
    form = GatewayForm(request.POST or None)
    if _save(request, form, gateway=None, owner=lambda cleaned: cleaned["owner"]):
        return redirect("iot:gateway_list")
    return _form_page(request, form, None)


@operator_required(MANAGE, model=Gateway)
@require_http_methods(["GET", "POST"])
def gateway_update(request, pk):
    gateway = get_object_or_404(Gateway.objects.visible_to(request.user), pk=pk)
    form = GatewayForm(request.POST or None, initial=_initial(gateway), editing=True)
    if _save(request, form, gateway=gateway, owner=lambda cleaned: cleaned["owner"]):
        return redirect("iot:gateway_list")
    return _form_page(request, form, gateway)


@member_required(write=GATEWAY_WRITE)
@require_http_methods(["GET", "POST"])
def portal_gateways(request, member):
    """The member's gateways, and the form to register one (its owner: the member)."""
    form = GatewayForm(request.POST or None, member=member)
    if _save(request, form, gateway=None, owner=lambda cleaned: member):
        return redirect("iot_portal:gateways", member_pk=member.pk)
    return render(
        request,
        "iot/portal/gateways.html",
        {
            "member": member,
            "page": _page(Gateway.objects.visible_to(request.user).filter(owner=member), request),
            "query": "",
            "form": form,
            "can_edit": GATEWAY_WRITE.allows(request.user),
        },
        status=400 if form.errors else 200,
    )


@member_required(model=Gateway, write=GATEWAY_WRITE)
@require_http_methods(["GET", "POST"])
def portal_gateway_edit(request, member, pk):
    gateway = get_object_or_404(
        Gateway.objects.visible_to(request.user).filter(owner=member), pk=pk
    )
    form = GatewayForm(request.POST or None, initial=_initial(gateway), editing=True, member=member)
    if _save(request, form, gateway=gateway, owner=lambda cleaned: member):
        return redirect("iot_portal:gateways", member_pk=member.pk)
    return _form_page(request, form, gateway, member)
