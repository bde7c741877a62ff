"""Operator pages of the work log: the list and the daily entry."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mutualis.core.access import operator_required
from mutualis.core.forms import add_validation_error
from mutualis.staffing import perms, selectors, services
from mutualis.staffing.forms import WorkLogForm
from mutualis.staffing.models import Technician


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
