"""« Mon espace » — surveys: the member's campaigns, its answer (edited until the closing
date) and what it answered."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mutualis.core import roles
from mutualis.core.access import member_required
from mutualis.core.forms import add_validation_error
from mutualis.surveys import selectors
from mutualis.surveys.forms import AnswerForm
from mutualis.surveys.models import SurveyCampaign, SurveyStatus
from mutualis.surveys.services import response_save


def _campaigns(member):
    return SurveyCampaign.objects.filter(invitations__member=member).exclude(
        status=SurveyStatus.DRAFT
    )


@member_required()
def portal_surveys(request, member):
    answered = set(member.survey_responses.values_list("campaign_id", flat=True))
    rows = [
        {
            "campaign": campaign,
            "answered": campaign.pk in answered,
            "open": campaign.accepts_answers(),
        }
        for campaign in _campaigns(member).order_by("-year", "kind")
    ]
    return render(
        request,
        "surveys/portal/list.html",
        {"member": member, "rows": rows, "may_answer": roles.SURVEY_ANSWER.allows(request.user)},
    )


@member_required(model=SurveyCampaign, write=roles.SURVEY_ANSWER)
@require_http_methods(["GET", "POST"])
def portal_answer(request, member, pk):
    campaign = get_object_or_404(_campaigns(member), pk=pk)
    response = (
        member.survey_responses.filter(campaign=campaign).select_related("answered_by").first()
    )
    can_answer = campaign.accepts_answers() and roles.SURVEY_ANSWER.allows(request.user)
    form = None
    if can_answer:
        form = AnswerForm(
            request.POST or None,
            definition=campaign.definition,
            answers=response.answers if response else None,
        )
        if request.method == "POST" and form.is_valid():
            try:
                response_save(
                    campaign=campaign,
                    member=member,
                    answers=form.answers(),
                    answered_by=request.user,
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("Merci : votre réponse est enregistrée."))
                return redirect("surveys_portal:answer", member_pk=member.pk, pk=pk)
    elif request.method == "POST":
        messages.error(
            request, _("Cette enquête est close : les réponses ne sont plus modifiables.")
        )
        return redirect("surveys_portal:answer", member_pk=member.pk, pk=pk)
    status = 400 if form is not None and form.is_bound and form.errors else 200
    return render(
        request,
        "surveys/portal/answer.html",
        {
            "member": member,
            "campaign": campaign,
            "definition": campaign.definition,
            "response": response,
            "is_open": campaign.accepts_answers(),
            "form": form,
            "lines": selectors.answer_lines(campaign, response.answers) if response else [],
        },
        status=status,
    )
