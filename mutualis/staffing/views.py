"""Operator pages of the shared staff: dashboard, calendars, agreements, planning grid."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from mutualis.core.access import operator_required
from mutualis.core.forms import add_validation_error
from mutualis.core.roles import has_capability
from mutualis.core.tabular import tabular_response
from mutualis.members.models import Member
from mutualis.staffing import perms, selectors, services
from mutualis.staffing.formatting import format_days
from mutualis.staffing.forms import (
    AbsenceForm,
    MonthForm,
    PeriodForm,
    PlannedDayForm,
    PlanningFormSet,
    StaffingAgreementForm,
    quarter_bounds,
)
from mutualis.staffing.models import PlannedDay, StaffingAgreement, Technician


def _year(request) -> int:
    try:
        return int(request.GET.get("annee", ""))
    except ValueError:
        return timezone.localdate().year


def _month(request) -> tuple[int, int]:
    try:
        year, month = (int(part) for part in request.GET.get("mois", "").split("-"))
        dt.date(year, month, 1)
    except ValueError:
        today = timezone.localdate()
        return today.year, today.month
    return year, month


def _agreements_of_year(year: int):
    return StaffingAgreement.objects.filter(start_date__lte=dt.date(year, 12, 31)).exclude(
        end_date__lt=dt.date(year, 1, 1)
    )


@operator_required()
def index(request):
    year = _year(request)
    today = timezone.localdate()
    return render(
        request,
        "staffing/index.html",
        {
            "year": year,
            "figures": selectors.agreement_figures(_agreements_of_year(year), year=year),
            "utilisation": selectors.technician_utilisation(year=year),
            "technicians": Technician.objects.select_related("user"),
            "can_plan": perms.can_plan(request.user),
            "can_log": perms.can_log(request.user),
            "can_post": has_capability(request.user, perms.POST_USAGE),
            "post_form": MonthForm(initial={"year": today.year, "month": today.month}),
            "month_param": f"{today:%Y-%m}",
            "open_contests": selectors.open_contest_count(),
        },
    )


@operator_required(model=Technician)
def technician_calendar(request, pk):
    technician = get_object_or_404(Technician.objects.select_related("user"), pk=pk)
    year, month = _month(request)
    return render(
        request,
        "staffing/calendar.html",
        {
            "subject": technician,
            "calendar": selectors.month_calendar(year=year, month=month, technician=technician),
            "show_member": True,
            "here": request.path,
            "can_delete": perms.can_plan(request.user),
        },
    )


@operator_required(model=Member)
def member_calendar(request, pk):
    member = get_object_or_404(Member, pk=pk)
    year, month = _month(request)
    return render(
        request,
        "staffing/calendar.html",
        {
            "subject": member,
            "calendar": selectors.month_calendar(year=year, month=month, member=member),
            "show_member": False,
            "here": request.path,
            "can_delete": perms.can_plan(request.user),
        },
    )


@operator_required(perms.PLAN)
@require_http_methods(["GET", "POST"])
def agreement_create(request):
    form = StaffingAgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            agreement = services.staffing_agreement_create(**data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("La convention a été enregistrée."))
            return redirect("staffing:agreement_detail", pk=agreement.pk)
    return render(
        request,
        "staffing/form.html",
        {"form": form, "title": _("Nouvelle convention de mise à disposition")},
    )


@operator_required(model=StaffingAgreement)
def agreement_detail(request, pk):
    agreement = get_object_or_404(StaffingAgreement, pk=pk)
    year = _year(request)
    figures = selectors.agreement_figures(
        StaffingAgreement.objects.filter(pk=agreement.pk), year=year
    )[0]
    overruns = selectors.quota_overruns(
        [figures.agreement], start=dt.date(year, 1, 1), end=dt.date(year, 12, 31)
    )
    return render(
        request,
        "staffing/agreement_detail.html",
        {
            "figures": figures,
            "agreement": figures.agreement,
            "year": year,
            "placements": agreement.placements.select_related("technician__user"),
            "decision": agreement.decision,
            "overruns": overruns,
        },
    )


def _planning_initial(agreements, start: dt.date, end: dt.date) -> list[dict]:
    """One line per technician × member: the rhythm of the latest placements carried on, or
    a line to fill for an assigned technician not placed yet."""
    agreements = list(
        agreements.prefetch_related("technicians", "placements").order_by("member__name", "pk")
    )
    rows = []
    for agreement in agreements:
        bounds = {
            "agreement": agreement.pk,
            "start": max(start, agreement.start_date),
            "end": min(end, agreement.end_date) if agreement.end_date else end,
        }
        rules = {}
        for p in sorted(agreement.placements.all(), key=lambda p: (p.start_date, p.pk)):
            rules[(p.technician_id, p.weekday)] = {"frequency": p.frequency, "half": p.half}
        placed = {technician_id for technician_id, _weekday in rules}
        rows += [
            bounds | {"technician": technician_id, "weekday": weekday} | rule
            for (technician_id, weekday), rule in rules.items()
        ]
        rows += [
            bounds | {"technician": t.pk} for t in agreement.technicians.all() if t.pk not in placed
        ]
    return rows + [{"start": start, "end": end} for _blank in range(3)]


@operator_required(perms.PLAN)
@require_http_methods(["GET", "POST"])
def planning(request):
    """The whole planning of a period on one screen: one line per technician × member rule,
    previewed with its conflicts, then saved."""
    today = timezone.localdate()
    default_start, default_end = quarter_bounds(today + dt.timedelta(days=92))
    period = PeriodForm(request.GET or None, initial={"start": default_start, "end": default_end})
    start, end = (
        (period.cleaned_data["start"], period.cleaned_data["end"])
        if period.is_valid()
        else (default_start, default_end)
    )
    overlapping = StaffingAgreement.objects.filter(start_date__lte=end).exclude(end_date__lt=start)
    kwargs = {
        "agreements": StaffingAgreement.objects.select_related("member").order_by(
            "member__name", "pk"
        ),
        "technicians": Technician.objects.filter(active=True).select_related("user"),
    }
    if request.method == "POST":
        formset = PlanningFormSet(request.POST, **kwargs)
    else:
        formset = PlanningFormSet(initial=_planning_initial(overlapping, start, end), **kwargs)
    preview = None
    if request.method == "POST" and formset.is_valid():
        rows = formset.rows()
        if request.POST.get("action") == "save" and rows:
            try:
                saved = services.planning_apply(
                    rows=rows,
                    created_by=request.user,
                    accept_conflicts=bool(request.POST.get("accept_conflicts")),
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _(
                        "Planning enregistré : %(count)s journées ou demi-journées créées, "
                        "%(existing)s déjà planifiées (non recréées)."
                    )
                    % {"count": len(saved.slots), "existing": saved.existing},
                )
                return redirect("staffing:index")
        preview = selectors.planning_preview(rows)
    return render(
        request,
        "staffing/planning.html",
        {
            "period": period,
            "formset": formset,
            "preview": preview,
            "preview_rows": _preview_rows(preview),
            "conflict_items": _conflict_items(preview, kwargs["technicians"]),
        },
    )


def _conflict_items(preview, technicians) -> list[dict]:
    if preview is None or not preview.conflicts:
        return []
    names = {t.pk: str(t) for t in technicians}
    return [
        {
            "day": c.day,
            "technician": names.get(c.technician_id, ""),
            "label": selectors.CONFLICT_LABELS[c.kind],
            "detail": c.detail,
        }
        for c in preview.conflicts
    ]


def _preview_rows(preview):
    if preview is None:
        return []
    return [
        {"row": row, "count": count, "existing": existing, "number": index + 1}
        for index, (row, count, existing) in enumerate(
            zip(preview.rows, preview.per_row, preview.existing_per_row, strict=True)
        )
    ]


@operator_required(perms.PLAN)
@require_http_methods(["GET", "POST"])
def intervention_create(request):
    form = PlannedDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            planned = services.planned_day_create(**form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("L'intervention est planifiée."))
            for found in selectors.quota_overruns(
                [planned.agreement], start=planned.date, end=planned.date
            ):
                messages.warning(request, overrun_sentence(found))
            url = reverse("staffing:technician_calendar", args=[planned.technician_id])
            return redirect(f"{url}?mois={planned.date:%Y-%m}")
    return render(
        request, "staffing/form.html", {"form": form, "title": _("Planifier une intervention")}
    )


@operator_required(perms.PLAN, model=PlannedDay)
@require_POST
def planned_day_delete(request, pk):
    """Deletes one planned day from a calendar, to undo a mistake; back to the calendar."""
    planned = get_object_or_404(PlannedDay, pk=pk)
    services.planned_day_delete(planned=planned)
    messages.success(
        request,
        _("La journée planifiée du %(day)s (%(who)s, %(member)s) est supprimée.")
        % {
            "day": f"{planned.date:%d/%m/%Y}",
            "who": planned.technician,
            "member": planned.member.name,
        },
    )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("staffing:technician_calendar", args=[planned.technician_id])
    return redirect(f"{back}?mois={planned.date:%Y-%m}")


@operator_required(perms.PLAN)
@require_http_methods(["GET", "POST"])
def absence_create(request):
    form = AbsenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.absence_create(**form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("L'absence est enregistrée."))
            return redirect("staffing:index")
    return render(request, "staffing/form.html", {"form": form, "title": _("Déclarer une absence")})


@operator_required(perms.POST_USAGE)
@require_POST
def usage_post(request):
    form = MonthForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Mois invalide."))
        return redirect("staffing:index")
    report = services.staffing_usage_post(
        form.cleaned_data["year"], form.cleaned_data["month"], recorded_by=request.user
    )
    messages.success(
        request,
        _(
            "Consommations %(month)02d/%(year)s : %(created)s créées, %(replaced)s remplacées, "
            "%(unchanged)s inchangées."
        )
        % {
            "month": report.month,
            "year": report.year,
            "created": report.outcomes["created"],
            "replaced": report.outcomes["replaced"],
            "unchanged": report.outcomes["unchanged"],
        },
    )
    if report.left_out:
        messages.warning(request, left_out_sentence(report))
    for error in report.errors:
        messages.error(request, error)
    return redirect("staffing:index")


def overrun_sentence(found) -> str:
    return _(
        "Au-delà de la convention %(ref)s (%(quota_label)s) : %(period)s, %(planned)s j "
        "planifiés pour un quota de %(quota)s j."
    ) % {
        "ref": found.agreement.reference,
        "quota_label": found.agreement.quota_label,
        "period": found.period_label,
        "planned": format_days(found.overrun.planned),
        "quota": format_days(found.overrun.quota),
    }


def left_out_sentence(report) -> str:
    """Which contested days the posting left out, in one sentence the operator acts on."""
    days = "; ".join(
        f"{e.date:%d/%m/%Y} — {e.member.name} — {e.technician} ({e.get_half_display().lower()})"
        for e in report.left_out
    )
    return ngettext(
        "%(count)s journée contestée (%(days)s j) n'est pas facturée tant que la contestation "
        "n'est pas tranchée : %(list)s. Tranchez-la puis enregistrez de nouveau le mois.",
        "%(count)s journées contestées (%(days)s j) ne sont pas facturées tant que les "
        "contestations ne sont pas tranchées : %(list)s. Tranchez-les puis enregistrez de "
        "nouveau le mois.",
        len(report.left_out),
    ) % {"count": len(report.left_out), "days": format_days(report.left_out_days), "list": days}


@operator_required()
def export(request):
    """Days agreed, planned and worked per member and task category: the annual report."""
    year = _year(request)
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        fmt = "csv"
    figures = selectors.agreement_figures(_agreements_of_year(year), year=year)
    categories = [label for label, _days in figures[0].category_mix] if figures else []
    headers = [
        _("Membre"),
        _("SIREN"),
        _("Convention"),
        _("Techniciens"),
        _("Jours conventionnés"),
        _("Jours planifiés"),
        _("Jours travaillés"),
        *categories,
    ]
    rows = (
        [
            f.agreement.member.name,
            f.agreement.member.siren,
            f.agreement.reference,
            ", ".join(str(t) for t in f.agreement.technicians.all()),
            f.agreed,
            f.planned,
            f.worked,
            *(days for _label, days in f.category_mix),
        ]
        for f in figures
    )
    return tabular_response(file_stem=f"informaticiens-{year}", fmt=fmt, headers=headers, rows=rows)
