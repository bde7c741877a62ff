"""Operator pages of the work log: the list, the daily entry and the contests to settle."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mutualis.core.access import operator_required
from mutualis.core.forms import add_validation_error
from mutualis.metering.models import Period, UsageRecord, UsageSource
from mutualis.staffing import perms, selectors, services
from mutualis.staffing.forms import ContestResolutionForm, WorkLogForm
from mutualis.staffing.models import ContestResolution, Technician, WorkLogEntry


def _int(value: str) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@operator_required()
def work_log_list(request):
    technicians = list(Technician.objects.select_related("user"))
    technician = next((t for t in technicians if t.pk == _int(request.GET.get("technicien"))), None)
    entries = selectors.work_log_list(
        user=request.user,
        technician=technician,
        year=_int(request.GET.get("annee")),
        month=_int(request.GET.get("mois")),
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "staffing/work_log_list.html",
        {
            "page": page,
            "technicians": technicians,
            "technician": technician,
            "can_log": perms.can_log(request.user),
            "can_resolve": perms.can_plan(request.user),
            "open_contests": selectors.open_contest_count(),
            "filter_year": request.GET.get("annee", ""),
            "filter_month": request.GET.get("mois", ""),
        },
    )


def _loggable_technicians(user):
    technicians = Technician.objects.filter(active=True).select_related("user")
    return technicians if perms.can_plan(user) else technicians.filter(user=user)


@operator_required(write=perms.LOG)
@require_http_methods(["GET", "POST"])
def work_log_create(request):
    if not perms.can_log(request.user):
        return render(request, "staffing/work_log_refused.html", status=200)
    technicians = _loggable_technicians(request.user)
    own = technicians.filter(user=request.user).first()
    form = WorkLogForm(
        request.POST or None,
        technicians=technicians,
        initial={"technician": own, "date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.work_log_create(logged_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("La journée est enregistrée au journal."))
            return redirect("staffing:work_log_list")
    return render(request, "staffing/form.html", {"form": form, "title": _("Saisir une journée")})


@operator_required()
def contest_list(request):
    """The days members contest, oldest first, with their message; the latest decisions."""
    return render(
        request,
        "staffing/contest_list.html",
        {
            "contests": selectors.open_contests(),
            "resolved": selectors.recently_resolved_contests(),
            "can_resolve": perms.can_plan(request.user),
        },
    )


def _month_posted(entry) -> bool:
    return UsageRecord.objects.filter(
        source=UsageSource.STAFFING,
        period=Period.MONTH,
        year=entry.date.year,
        month=entry.date.month,
        member_id=entry.member_id,
    ).exists()


@operator_required(perms.PLAN, model=WorkLogEntry)
@require_http_methods(["GET", "POST"])
def contest_resolve(request, pk):
    entry = get_object_or_404(
        WorkLogEntry.objects.select_related(
            "member", "technician__user", "contested_by", "contest_resolved_by"
        ),
        pk=pk,
    )
    form = ContestResolutionForm(request.POST or None)
    if request.method == "POST" and entry.contest_open and form.is_valid():
        try:
            entry = services.work_log_contest_resolve(
                entry=entry, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _resolved_sentence(entry))
            if _month_posted(entry):
                messages.warning(
                    request,
                    _(
                        "Les consommations de %(month)s sont déjà enregistrées : enregistrez de "
                        "nouveau ce mois pour qu'elles tiennent compte de cette décision."
                    )
                    % {"month": f"{entry.date:%m/%Y}"},
                )
            return redirect("staffing:contest_list")
    return render(request, "staffing/contest_resolve.html", {"entry": entry, "form": form})


def _resolved_sentence(entry) -> str:
    day = f"{entry.date:%d/%m/%Y}"
    if entry.contest_resolution == ContestResolution.ACCEPTED:
        return _("Contestation acceptée : la journée du %(day)s est annulée, non facturée.") % {
            "day": day
        }
    if entry.contest_resolution == ContestResolution.CHANGED:
        return _("Journée du %(day)s corrigée (%(half)s) : elle sera facturée ainsi.") % {
            "day": day,
            "half": entry.get_half_display().lower(),
        }
    return _("Contestation rejetée : la journée du %(day)s est maintenue et sera facturée.") % {
        "day": day
    }
