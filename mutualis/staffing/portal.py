"""« Mon espace » : the member's shared technician — agreements, calendar, work log."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutualis.core import roles
from mutualis.core.access import member_required
from mutualis.staffing import selectors, services
from mutualis.staffing.forms import ContestForm
from mutualis.staffing.models import StaffingAgreement, WorkLogEntry


@member_required()
def portal_staffing(request, member):
    today = timezone.localdate()
    try:
        year, month = (int(p) for p in request.GET.get("mois", "").split("-"))
        dt.date(year, month, 1)
    except ValueError:
        year, month = today.year, today.month
    agreements = StaffingAgreement.objects.filter(member=member)
    entries = (
        WorkLogEntry.objects.filter(member=member)
        .select_related(
            "member", "technician__user", "acknowledged_by", "contested_by", "contest_resolved_by"
        )
        .order_by("-date", "half", "pk")
    )
    return render(
        request,
        "staffing/portal/index.html",
        {
            "member": member,
            "figures": selectors.agreement_figures(agreements, year=year),
            "year": year,
            "calendar": selectors.month_calendar(year=year, month=month, member=member),
            "page": Paginator(entries, 30).get_page(request.GET.get("page")),
            "can_acknowledge": roles.WORK_LOG_REVIEW.allows(request.user),
            "here": request.path,
        },
    )


@member_required(model=WorkLogEntry, write=roles.WORK_LOG_REVIEW)
@require_POST
def portal_work_log_acknowledge(request, member, pk):
    entry = get_object_or_404(WorkLogEntry.objects.filter(member=member), pk=pk)
    try:
        services.work_log_acknowledge(entry=entry, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Journée visée. Merci."))
    return redirect("staffing_portal:index", member_pk=member.pk)


@member_required(model=WorkLogEntry, write=roles.WORK_LOG_REVIEW)
@require_POST
def portal_work_log_contest(request, member, pk):
    """The member's agent disputes a logged day, with a short reason shown to the operator."""
    entry = get_object_or_404(WorkLogEntry.objects.filter(member=member), pk=pk)
    form = ContestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez le motif de la contestation (300 caractères au plus)."))
        return redirect("staffing_portal:index", member_pk=member.pk)
    try:
        services.work_log_contest(
            entry=entry, user=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Contestation transmise à l'opérateur."))
    return redirect("staffing_portal:index", member_pk=member.pk)
