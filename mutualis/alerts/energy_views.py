"""The operator's pages of what the heating rules read: school holidays and the heating
profiles of buildings (every operator reads them; IoT managers write)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mutualis.alerts import energy_services
from mutualis.alerts.forms import HeatingProfileForm, SchoolHolidayForm
from mutualis.alerts.models import HeatingProfile, SchoolHoliday
from mutualis.core.access import operator_required
from mutualis.core.forms import add_validation_error
from mutualis.core.roles import Capability, has_capability

WRITE = Capability.MANAGE_IOT


@operator_required()
@require_GET
def holiday_list(request):
    return render(
        request,
        "alerts/holidays.html",
        {
            "holidays": SchoolHoliday.objects.order_by("-starts_on", "zone"),
            "can_edit": has_capability(request.user, WRITE),
        },
    )


def _holiday_form(request, holiday):
    form = SchoolHolidayForm(request.POST or None, instance=holiday)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        data = energy_services.HolidayData(c["zone"], c["name"], c["starts_on"], c["ends_on"])
        try:
            energy_services.holiday_save(data=data, holiday=holiday)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Vacances enregistrées."))
            return redirect("alerts:holidays")
    return render(
        request,
        "alerts/holiday_form.html",
        {"form": form, "holiday": holiday},
        status=400 if form.errors else 200,
    )


@operator_required(write=WRITE)
@require_http_methods(["GET", "POST"])
def holiday_create(request):
    return _holiday_form(request, None)


@operator_required(model=SchoolHoliday, write=WRITE)
@require_http_methods(["GET", "POST"])
def holiday_edit(request, pk):
    return _holiday_form(request, get_object_or_404(SchoolHoliday, pk=pk))


@operator_required(model=SchoolHoliday, write=WRITE)
@require_http_methods(["GET", "POST"])
def holiday_delete(request, pk):
    holiday = get_object_or_404(SchoolHoliday, pk=pk)
    if request.method == "POST":
        energy_services.holiday_delete(holiday=holiday)
        messages.success(request, _("Vacances supprimées."))
        return redirect("alerts:holidays")
    return render(
        request,
        "alerts/confirm_delete.html",
        {"object": holiday, "back": "alerts:holidays", "what": _("ces vacances scolaires")},
    )


@operator_required()
@require_GET
def profile_list(request):
    profiles = HeatingProfile.objects.visible_to(request.user).select_related(
        "member", "sensor", "station"
    )
    return render(
        request,
        "alerts/heating_profiles.html",
        {
            "profiles": profiles.order_by("member__name", "sensor__name"),
            "can_edit": has_capability(request.user, WRITE),
        },
    )


def _profile_form(request, profile):
    form = HeatingProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        data = energy_services.ProfileData(
            c["sensor"],
            c["station"],
            c["weekdays"],
            c["holiday_zone"],
            c["closed_on_public_holidays"],
            c["active"],
        )
        # The form wrote the cleaned values on its instance: the service compares with the
        # stored profile.
        stored = HeatingProfile.objects.get(pk=profile.pk) if profile else None
        try:
            energy_services.profile_save(data=data, profile=stored)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Profil de chauffage enregistré : la détection le suit."))
            return redirect("alerts:heating_profiles")
    return render(
        request,
        "alerts/heating_profile_form.html",
        {"form": form, "profile": profile},
        status=400 if form.errors else 200,
    )


@operator_required(write=WRITE)
@require_http_methods(["GET", "POST"])
def profile_create(request):
    return _profile_form(request, None)


@operator_required(model=HeatingProfile, write=WRITE)
@require_http_methods(["GET", "POST"])
def profile_edit(request, pk):
    return _profile_form(request, get_object_or_404(HeatingProfile, pk=pk))


@operator_required(model=HeatingProfile, write=WRITE)
@require_http_methods(["GET", "POST"])
def profile_delete(request, pk):
    profile = get_object_or_404(HeatingProfile.objects.select_related("sensor"), pk=pk)
    if request.method == "POST":
        energy_services.profile_delete(profile=profile)
        messages.success(
            request, _("Profil de chauffage supprimé : la détection ne suit plus ce bâtiment.")
        )
        return redirect("alerts:heating_profiles")
    return render(
        request,
        "alerts/confirm_delete.html",
        {
            "object": profile,
            "back": "alerts:heating_profiles",
            "what": _("le profil de chauffage de ce bâtiment"),
        },
    )
