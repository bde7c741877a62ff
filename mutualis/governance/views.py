"""Operator pages of governance: bodies, meetings, convocations, the register, its export."""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mutualis.billing.services.identity import operator_identity
from mutualis.core.access import operator_required
from mutualis.core.forms import add_validation_error
from mutualis.core.roles import Capability, has_capability
from mutualis.governance import selectors, services
from mutualis.governance.forms import (
    AttendanceForm,
    BodyForm,
    DeliberationForm,
    DeliberationUpdateForm,
    MeetingDocumentForm,
    MeetingForm,
    RegisterFilterForm,
    SeatForm,
)
from mutualis.governance.models import Body, Deliberation, Meeting
from mutualis.governance.rules import latest_sending_day
from mutualis.members.views import document_response

MANAGE = Capability.MANAGE_GOVERNANCE


def _can_manage(request) -> bool:
    return has_capability(request.user, MANAGE)


@operator_required()
def index(request):
    return render(
        request,
        "governance/index.html",
        {
            "bodies": Body.objects.order_by("kind", "name"),
            "meetings": selectors.meeting_list()[:20],
            "can_manage": _can_manage(request),
        },
    )


@operator_required(MANAGE)
@require_http_methods(["GET", "POST"])
def body_create(request):
    form = BodyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            body = services.body_create(**form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            return redirect("governance:body_detail", pk=body.pk)
    return render(request, "governance/form.html", {"form": form, "title": _("Nouvelle instance")})


@operator_required(model=Body)
def body_detail(request, pk):
    body = get_object_or_404(Body, pk=pk)
    return render(
        request,
        "governance/body_detail.html",
        {
            "body": body,
            "seats": body.seats.select_related("represents").order_by("-end_date", "role", "name"),
            "meetings": body.meetings.order_by("-date"),
            "can_manage": _can_manage(request),
        },
    )


@operator_required(MANAGE, model=Body)
@require_http_methods(["GET", "POST"])
def seat_add(request, pk):
    body = get_object_or_404(Body, pk=pk)
    form = SeatForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.seat_create(body=body, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Le membre siège désormais."))
            return redirect("governance:body_detail", pk=body.pk)
    title = _("Nouveau membre — %(body)s") % {"body": body}
    return render(request, "governance/form.html", {"form": form, "title": title})


@operator_required(MANAGE, model=Body)
@require_http_methods(["GET", "POST"])
def meeting_create(request, pk):
    body = get_object_or_404(Body, pk=pk)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(body=body, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            return redirect("governance:meeting_detail", pk=meeting.pk)
    title = _("Nouvelle séance — %(body)s") % {"body": body}
    return render(request, "governance/form.html", {"form": form, "title": title})


def _meeting(pk) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("body"), pk=pk)


@operator_required(model=Meeting)
def meeting_detail(request, pk):
    meeting = _meeting(pk)
    attendances = meeting.attendances.select_related("seat", "proxy_holder").order_by("seat__name")
    return render(
        request,
        "governance/meeting_detail.html",
        {
            "meeting": meeting,
            "quorum": meeting.quorum() if attendances else None,
            "attendances": attendances,
            "convocations": meeting.convocations.all(),
            "latest_sending_day": latest_sending_day(meeting.date, meeting.body.notice_days),
            "today": timezone.localdate(),
            "deliberations": meeting.deliberations.select_related("decision"),
            "document_form": MeetingDocumentForm(),
            "can_manage": _can_manage(request),
        },
    )


@operator_required(MANAGE, model=Meeting)
@require_POST
def meeting_document_add(request, pk):
    meeting = _meeting(pk)
    form = MeetingDocumentForm(request.POST, request.FILES)
    if form.is_valid():
        services.meeting_document_add(meeting=meeting, **form.cleaned_data)
        messages.success(request, _("Document ajouté à la séance."))
        return redirect("governance:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "governance/form.html",
        {"form": form, "title": _("Document de séance"), "multipart": True},
        status=400,
    )


@operator_required(MANAGE, model=Meeting)
@require_POST
def meeting_convene(request, pk):
    meeting = _meeting(pk)
    try:
        convocation = services.convocation_send(
            meeting=meeting, user=request.user, accept_late=request.POST.get("accept_late") == "on"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if convocation.in_time:
            messages.success(request, _("Convocation envoyée dans le délai légal."))
        else:
            messages.warning(
                request,
                _(
                    "Convocation envoyée HORS DÉLAI : %(days)s jours francs avant la séance, "
                    "%(needed)s requis. Reportez la séance."
                )
                % {"days": convocation.clear_days, "needed": convocation.notice_days},
            )
    return redirect("governance:meeting_detail", pk=meeting.pk)


@operator_required(MANAGE, model=Meeting)
@require_http_methods(["GET", "POST"])
def meeting_attendance(request, pk):
    meeting = _meeting(pk)
    seats = meeting.body.seats.in_office_on(meeting.date).order_by("name")
    recorded = list(meeting.attendances.all())
    form = AttendanceForm(
        request.POST or None,
        seats=seats,
        initial_present={a.seat_id for a in recorded if a.present},
        initial_proxies={a.seat_id: a.proxy_holder_id for a in recorded if a.proxy_holder_id},
    )
    if request.method == "POST" and form.is_valid():
        present, proxies = form.result()
        try:
            quorum = services.attendance_record(meeting=meeting, present=present, proxies=proxies)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            if quorum["met"]:
                messages.success(request, _("Présences enregistrées : le quorum est atteint."))
            else:
                messages.warning(
                    request, _("Présences enregistrées : le quorum n'est pas atteint.")
                )
            return redirect("governance:meeting_detail", pk=meeting.pk)
    return render(request, "governance/attendance.html", {"meeting": meeting, "form": form})


@operator_required()
def register(request):
    form = RegisterFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    body = filters.get("body")
    entries = selectors.register(
        year=filters.get("year"), body_id=body.pk if body else None, search=filters.get("q", "")
    )
    return render(
        request,
        "governance/register.html",
        {
            "form": form,
            "entries": entries[:300],
            "count": entries.count(),
            "missing_siret": not operator_identity().siret,
            "can_manage": _can_manage(request),
        },
    )


@operator_required(MANAGE)
@require_http_methods(["GET", "POST"])
def deliberation_create(request):
    initial = {}
    meeting_pk = request.GET.get("seance", "")
    if meeting_pk.isdigit():
        meeting = Meeting.objects.filter(pk=int(meeting_pk)).select_related("body").first()
        if meeting is not None:
            initial = {
                "meeting": meeting,
                "body": meeting.body,
                "date": meeting.date,
                **(services.vote_from_meeting(meeting) if meeting.attendances.exists() else {}),
            }
    form = DeliberationForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.deliberation_create(**form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Délibération inscrite au registre."))
            return redirect("governance:deliberation_detail", pk=entry.pk)
    return render(
        request,
        "governance/form.html",
        {"form": form, "title": _("Nouvelle délibération"), "multipart": True},
    )


def _entry(pk) -> Deliberation:
    return get_object_or_404(
        Deliberation.objects.select_related("decision", "body", "meeting__body"), pk=pk
    )


@operator_required(model=Deliberation)
def deliberation_detail(request, pk):
    entry = _entry(pk)
    return render(
        request,
        "governance/deliberation_detail.html",
        {
            "entry": entry,
            "decided": selectors.decided_by(entry),
            "guessed_matiere": "" if entry.matiere else selectors.guessed_matiere(entry),
            "can_manage": _can_manage(request),
        },
    )


@operator_required(MANAGE, model=Deliberation)
@require_http_methods(["GET", "POST"])
def deliberation_update(request, pk):
    entry = _entry(pk)
    form = DeliberationUpdateForm(request.POST or None, request.FILES or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        try:
            services.deliberation_update(entry=entry, **fields)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Délibération mise à jour."))
            return redirect("governance:deliberation_detail", pk=entry.pk)
    title = _("Compléter — %(entry)s") % {"entry": entry}
    return render(
        request, "governance/form.html", {"form": form, "title": title, "multipart": True}
    )


@operator_required(model=Deliberation)
def deliberation_document(request, pk):
    entry = _entry(pk)
    if not entry.signed_document:
        raise Http404
    return document_response(entry.signed_document, f"deliberation {entry.decision.number}")


@operator_required()
def register_export(request):
    """The register in the SCDL « délibérations » schema 2.1.5 (CSV, UTF-8, comma)."""
    identity = operator_identity()
    year = request.GET.get("year", "")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="deliberations.csv"'
    writer = csv.writer(response, lineterminator="\n")
    writer.writerow(selectors.SCDL_COLUMNS)
    writer.writerows(
        selectors.scdl_rows(
            operator_name=identity.name or _("Opérateur"),
            operator_siret=identity.siret,
            year=int(year) if year.isdigit() and len(year) == 4 else None,
        )
    )
    return response
