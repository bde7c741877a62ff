"""Pages of the sectors of water networks: the operator's (every member's, MANAGE_IOT writes)
and « Mon espace » (the member's agents define theirs)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mutualis.alerts.models import MeterSector
from mutualis.alerts.sectors import SectorForm, sector_save, sectors_for
from mutualis.core import roles
from mutualis.core.access import member_required, operator_required
from mutualis.core.forms import add_validation_error
from mutualis.core.roles import Capability, has_capability
from mutualis.members.models import Member

SECTOR_WRITE = roles.agents_and(Capability.MANAGE_IOT)  # the member's agents, IoT managers


def _save(request, form, member, sector, done):
    if request.method == "POST" and form.is_valid():
        try:
            sector_save(member=member, data=form.data_object(), sector=sector)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Secteur enregistré : la détection le suit."))
            return done
    return None


@operator_required()
@require_GET
def sector_list(request):
    members = Member.objects.filter(sensors__kind="water_meter").distinct().order_by("name")
    return render(
        request,
        "alerts/sectors.html",
        {
            "sectors": sectors_for(user=request.user),
            "members": members,
            "can_edit": has_capability(request.user, Capability.MANAGE_IOT),
            "operator": True,
        },
    )


@operator_required(write=Capability.MANAGE_IOT)
@require_http_methods(["GET", "POST"])
def sector_create(request):
    pk = request.POST.get("member") or request.GET.get("membre")
    member = get_object_or_404(Member, pk=pk) if pk and str(pk).isdigit() else None
    if member is None:
        return redirect("alerts:sectors")
    form = SectorForm(request.POST or None, member=member)
    done = _save(request, form, member, None, redirect("alerts:sectors"))
    return done or _form(request, form, member, None, operator=True)


@operator_required(model=MeterSector, write=Capability.MANAGE_IOT)
@require_http_methods(["GET", "POST"])
def sector_edit(request, pk):
    sector = get_object_or_404(MeterSector.objects.visible_to(request.user), pk=pk)
    form = SectorForm(request.POST or None, member=sector.member, sector=sector)
    done = _save(request, form, sector.member, sector, redirect("alerts:sectors"))
    return done or _form(request, form, sector.member, sector, operator=True)


def _form(request, form, member, sector, *, operator):
    return render(
        request,
        "alerts/sector_form.html",
        {"form": form, "member": member, "sector": sector, "operator": operator},
        status=400 if form.errors else 200,
    )


@member_required(write=SECTOR_WRITE)
@require_http_methods(["GET", "POST"])
def portal_sectors(request, member):
    form = SectorForm(request.POST or None, member=member)
    done = _save(
        request, form, member, None, redirect("alerts_portal:sectors", member_pk=member.pk)
    )
    if done:
        return done
    return render(
        request,
        "alerts/sectors.html",
        {
            "member": member,
            "sectors": sectors_for(user=request.user, member=member),
            "form": form,
            "can_edit": SECTOR_WRITE.allows(request.user),
            "operator": False,
        },
        status=400 if form.errors else 200,
    )


@member_required(model=MeterSector, write=SECTOR_WRITE)
@require_http_methods(["GET", "POST"])
def portal_sector_edit(request, member, pk):
    sector = get_object_or_404(
        MeterSector.objects.visible_to(request.user).filter(member=member), pk=pk
    )
    form = SectorForm(request.POST or None, member=member, sector=sector)
    done = _save(
        request, form, member, sector, redirect("alerts_portal:sectors", member_pk=member.pk)
    )
    return done or _form(request, form, member, sector, operator=False)
