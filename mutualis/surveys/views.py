"""Operator pages of the surveys: campaigns, invitations, sending, reminders, results."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mutualis.core.access import operator_required
from mutualis.core.forms import add_validation_error
from mutualis.core.jobs import fail_abandoned
from mutualis.core.roles import Capability, has_capability
from mutualis.core.tabular import tabular_response
from mutualis.members.models import Member
from mutualis.surveys import selectors, services
from mutualis.surveys.definitions import CHOICE, MULTIPLE, Kind
from mutualis.surveys.forms import CampaignEditForm, CampaignForm, InvitationForm
from mutualis.surveys.models import SurveyCampaign, SurveyMailing

WRITE = Capability.MANAGE_SURVEYS


def _can_write(user) -> bool:
    return has_capability(user, WRITE)


def _flash(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@operator_required(write=WRITE)
@require_http_methods(["GET", "POST"])
def index(request):
    today = timezone.localdate()
    form = CampaignForm(request.POST or None, initial={"year": today.year})
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("L'enquête est créée : choisissez les membres invités."))
            return redirect("surveys:campaign", pk=campaign.pk)
    return render(
        request,
        "surveys/index.html",
        {
            "campaigns": selectors.campaign_list(request.user),
            "form": form,
            "can_write": _can_write(request.user),
        },
    )


def _detail(request, campaign, invitation_form=None, edit_form=None):
    fail_abandoned(SurveyMailing)
    rows = selectors.member_rows(campaign)
    answered = sum(1 for row in rows if row["response"])
    return render(
        request,
        "surveys/campaign.html",
        {
            "campaign": campaign,
            "rows": rows,
            "answered": answered,
            "invitation_form": invitation_form or InvitationForm(),
            "edit_form": edit_form
            or CampaignEditForm(
                initial={
                    "title": campaign.title,
                    "closes_on": campaign.closes_on,
                    "message": campaign.message,
                }
            ),
            "mailings": campaign.mailings.all()[:10],
            "can_write": _can_write(request.user),
            "accepts_answers": campaign.accepts_answers(),
            "tab": "overview",
        },
    )


def _campaign(pk):
    return get_object_or_404(SurveyCampaign.objects.select_related("invitation_epci"), pk=pk)


@operator_required(model=SurveyCampaign, write=WRITE)
@require_http_methods(["GET", "POST"])
def campaign(request, pk):
    campaign = _campaign(pk)
    if request.method == "POST":
        form = CampaignEditForm(request.POST)
        if form.is_valid():
            try:
                services.campaign_update(campaign=campaign, **form.cleaned_data)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("L'enquête est enregistrée."))
                return redirect("surveys:campaign", pk=pk)
        return _detail(request, campaign, edit_form=form)
    return _detail(request, campaign)


@operator_required(model=SurveyCampaign, write=WRITE)
@require_http_methods(["GET", "POST"])
def campaign_invite(request, pk):
    campaign = _campaign(pk)
    if request.method == "GET":
        return redirect("surveys:campaign", pk=pk)
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
                created_by=request.user,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(
                request,
                ngettext("%(n)s membre invité.", "%(n)s membres invités.", len(added))
                % {"n": len(added)},
            )
            return redirect("surveys:campaign", pk=pk)
    return _detail(request, campaign, invitation_form=form)


@operator_required(model=SurveyCampaign, write=WRITE)
@require_POST
def campaign_send(request, pk):
    campaign = _campaign(pk)
    try:
        services.campaign_send(
            campaign=campaign,
            site_address=request.build_absolute_uri("/"),
            created_by=request.user,
        )
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(
            request, _("L'enquête est ouverte ; les courriels partent en arrière-plan.")
        )
    return redirect("surveys:campaign", pk=pk)


@operator_required(model=SurveyCampaign, write=WRITE)
@require_POST
def campaign_remind(request, pk):
    campaign = _campaign(pk)
    try:
        mailing = services.campaign_remind(campaign=campaign, created_by=request.user)
    except ValidationError as error:
        _flash(request, error)
    else:
        if mailing is None:
            messages.info(request, _("Tous les membres invités ont répondu : personne à relancer."))
        else:
            count = len(mailing.member_ids)
            messages.success(
                request,
                ngettext(
                    "Relance en cours d'envoi à %(n)s membre.",
                    "Relance en cours d'envoi à %(n)s membres.",
                    count,
                )
                % {"n": count},
            )
    return redirect("surveys:campaign", pk=pk)


@operator_required(model=SurveyCampaign, write=WRITE)
@require_POST
def campaign_close(request, pk):
    try:
        services.campaign_close(campaign=_campaign(pk))
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, _("L'enquête est clôturée : les réponses ne changent plus."))
    return redirect("surveys:campaign", pk=pk)


@operator_required(model=SurveyCampaign)
@require_GET
def campaign_results(request, pk):
    campaign = _campaign(pk)
    return render(
        request,
        "surveys/results.html",
        {
            "campaign": campaign,
            "results": selectors.campaign_results(campaign),
            "tab": "results",
        },
    )


@operator_required(model=SurveyCampaign)
@require_GET
def member_answer(request, pk, member_pk):
    campaign = _campaign(pk)
    member = get_object_or_404(Member, pk=member_pk, survey_invitations__campaign=campaign)
    response = campaign.responses.filter(member=member).select_related("answered_by").first()
    return render(
        request,
        "surveys/member_answer.html",
        {
            "campaign": campaign,
            "member": member,
            "response": response,
            "lines": selectors.answer_lines(campaign, response.answers) if response else [],
        },
    )


def _score(response) -> object:
    return response.satisfaction if response and response.satisfaction is not None else ""


def export_rows(campaign: SurveyCampaign):
    """One line per invited member: its answer to each question, in French (each header
    ends with the question's code in brackets, so that a file of one year reads beside the
    next); the satisfaction column only for the satisfaction survey."""
    questions = campaign.definition.questions
    scored = campaign.kind == Kind.SATISFACTION
    headers = [
        _("membre"),
        _("SIREN"),
        _("nature"),
        _("répondu"),
        _("répondu le"),
        _("répondu par"),
        *[f"{q.text} [{q.code}]" for q in questions],
        *([_("satisfaction (%)")] if scored else []),
    ]
    rows = []
    for row in selectors.member_rows(campaign):
        member, response = row["invitation"].member, row["response"]
        answers = response.answers if response else {}
        values = []
        for q in questions:
            value, labels = answers.get(q.code, ""), q.option_labels
            if q.type == MULTIPLE:
                values.append(", ".join(labels.get(str(v), str(v)) for v in value))
            elif q.type == CHOICE:
                values.append(labels.get(str(value), value))
            else:  # a scale or a level: its number; a text: as written
                values.append(value)
        rows.append(
            [
                member.name,
                member.siren,
                member.get_kind_display(),
                _("oui") if response else _("non"),
                timezone.localtime(response.updated_at).date() if response else "",
                (response.answered_by.get_full_name() or response.answered_by.username)
                if response and response.answered_by
                else "",
                *values,
                *([_score(response)] if scored else []),
            ]
        )
    return headers, rows


@operator_required(model=SurveyCampaign)
@require_GET
def campaign_export(request, pk):
    campaign = _campaign(pk)
    headers, rows = export_rows(campaign)
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    return tabular_response(
        file_stem=slugify(f"enquete {campaign.get_kind_display()} {campaign.year}"),
        fmt=fmt,
        headers=headers,
        rows=rows,
    )
