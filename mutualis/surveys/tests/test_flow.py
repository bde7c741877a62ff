"""A campaign from creation to results: invitations as purchasing designates members, the
e-mails through the job queue, one answer per member edited until the closing date,
reminders to those who have not answered."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mutualis.core.tests.factories import UserFactory
from mutualis.members.models import MemberKind
from mutualis.members.tests.factories import (
    AgentAccessFactory,
    EpciMemberFactory,
    MemberFactory,
    MembershipFactory,
)
from mutualis.purchasing.models import InvitationMode
from mutualis.surveys import services
from mutualis.surveys.definitions import Kind
from mutualis.surveys.models import SurveyMailing, SurveyResponse, SurveyStatus
from mutualis.surveys.tests.factories import GOOD, open_campaign

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _adherent(**kwargs):
    return MembershipFactory(member=MemberFactory(**kwargs)).member


def test_invitation_by_kind_then_e_mails_to_each_members_agents(
    django_capture_on_commit_callbacks,
):
    commune, other = _adherent(), _adherent()
    epci = MembershipFactory(member=EpciMemberFactory()).member
    MemberFactory()  # never joined: not invited
    agents = [AgentAccessFactory(member=commune).user, AgentAccessFactory(member=commune).user]
    AgentAccessFactory(member=epci)
    campaign = services.campaign_create(
        kind=Kind.SATISFACTION, year=TODAY.year, closes_on=TODAY + dt.timedelta(days=20)
    )
    added = services.campaign_invite(
        campaign=campaign, mode=InvitationMode.KIND, kind=MemberKind.COMMUNE
    )
    assert sorted(added) == sorted([commune.pk, other.pk])
    with django_capture_on_commit_callbacks(execute=True):
        mailing = services.campaign_send(campaign=campaign, site_address="https://opsn.example/")
    mailing.refresh_from_db()
    assert mailing.status == "succeeded"
    assert (mailing.sent, mailing.without_address) == (2, 1)  # `other` has no agent
    [message] = mail.outbox
    assert sorted(message.to) == sorted(a.email for a in agents)
    link = f"https://opsn.example/mon-espace/{commune.pk}/enquetes/{campaign.pk}/"
    assert link in message.body and campaign.title in message.subject
    campaign.refresh_from_db()
    assert campaign.status == SurveyStatus.OPEN
    with pytest.raises(ValidationError):
        services.campaign_send(campaign=campaign)


def test_a_member_added_to_an_open_campaign_is_sent_its_invitation(
    django_capture_on_commit_callbacks,
):
    first, late = _adherent(), _adherent()
    AgentAccessFactory(member=late)
    campaign = open_campaign([first])
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_invite(campaign=campaign, mode=InvitationMode.CHOSEN, members=[late])
    assert SurveyMailing.objects.filter(campaign=campaign).first().member_ids == [late.pk]
    assert len(mail.outbox) == 1


def _answer_url(member, campaign):
    return reverse("surveys_portal:answer", kwargs={"member_pk": member.pk, "pk": campaign.pk})


def test_the_portal_form_one_answer_per_member_edited_until_the_closing_date():
    member = _adherent()
    first, second = AgentAccessFactory(member=member).user, AgentAccessFactory(member=member).user
    campaign = open_campaign([member])
    client = Client()
    client.force_login(first)
    page = client.get(_answer_url(member, campaign)).content.decode()
    assert page.count("<fieldset") == 5 and "<legend>" in page
    assert 'type="radio"' in page and "<textarea" in page
    # an incomplete answer: the page says what to correct, linked to the question
    response = client.post(_answer_url(member, campaign), {"offer_fit": "5"})
    assert response.status_code == 400
    text = response.content.decode()
    assert 'href="#q-ease"' in text and 'aria-describedby="error-ease' in text
    assert not SurveyResponse.objects.exists()
    body = {k: str(v) for k, v in GOOD.items()} | {"comment": "  Très bien.  "}
    assert client.post(_answer_url(member, campaign), body).status_code == 302
    saved = SurveyResponse.objects.get()
    assert saved.answers == GOOD | {"comment": "Très bien."}
    assert saved.answered_by == first and saved.satisfaction == 80  # 4 of 5 notes at 4 or 5
    # another agent of the same member edits the same answer
    client.force_login(second)
    assert client.post(_answer_url(member, campaign), body | {"support": "5"}).status_code == 302
    saved = SurveyResponse.objects.get()
    assert (saved.answered_by, saved.edits, saved.satisfaction) == (second, 1, 100)
    # after the closing date: read only, a write changes nothing
    campaign.closes_on = TODAY - dt.timedelta(days=1)
    campaign.save()
    client.post(_answer_url(member, campaign), body | {"support": "1"})
    assert SurveyResponse.objects.get().answers["support"] == 5
    assert "Ce que vous avez répondu" in client.get(_answer_url(member, campaign)).content.decode()


def test_the_priorities_grid_takes_4_to_5_themes():
    member = _adherent()
    agent = AgentAccessFactory(member=member).user
    campaign = open_campaign([member], kind=Kind.PRIORITIES)
    client = Client()
    client.force_login(agent)
    three = {"themes": ["security", "inclusion", "data"]}
    response = client.post(_answer_url(member, campaign), three)
    assert response.status_code == 400
    assert "Choisissez entre 4 et 5 réponses (3 choisies)." in response.content.decode()
    four = {"themes": ["security", "inclusion", "data", "mobility"]}
    assert client.post(_answer_url(member, campaign), four).status_code == 302
    assert SurveyResponse.objects.get().answers == {
        "themes": ["data", "inclusion", "security", "mobility"]
    }


def test_an_operator_reads_the_answer_page_but_never_answers_for_the_member():
    member = _adherent()
    campaign = open_campaign([member])
    client = Client()
    client.force_login(UserFactory(manager=True))
    assert client.get(_answer_url(member, campaign)).status_code == 200
    assert client.post(_answer_url(member, campaign), GOOD).status_code == 403
    assert not SurveyResponse.objects.exists()


def test_reminders_go_to_those_who_have_not_answered_once_a_week(
    django_capture_on_commit_callbacks,
):
    answered, silent = _adherent(), _adherent()
    AgentAccessFactory(member=answered)
    agent = AgentAccessFactory(member=silent).user
    campaign = open_campaign([answered, silent])
    services.response_save(campaign=campaign, member=answered, answers=GOOD)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        mailing = services.campaign_remind(campaign=campaign)
    assert mailing.member_ids == [silent.pk]
    assert [m.to for m in mail.outbox] == [[agent.email]]
    assert mail.outbox[0].subject.startswith("Relance")
    # the scheduled command: nothing before a week, then the silent member again
    assert services.reminders_due() == []
    week_later = timezone.now() + dt.timedelta(days=8)
    campaign.sent_at = timezone.now() - dt.timedelta(days=8)
    campaign.save()
    [mailing] = services.reminders_due(now=week_later)
    assert mailing.member_ids == [silent.pk]
    out = io.StringIO()
    call_command("survey_reminders", stdout=out)
    assert "0 relance(s)" in out.getvalue()  # the silent member was reminded a moment ago


def test_closing_the_campaign_stops_answers_and_reminders():
    member = _adherent()
    campaign = open_campaign([member])
    services.campaign_close(campaign=campaign)
    with pytest.raises(ValidationError):
        services.response_save(campaign=campaign, member=member, answers=GOOD)
    with pytest.raises(ValidationError):
        services.campaign_remind(campaign=campaign)


def test_one_campaign_of_a_kind_per_year():
    services.campaign_create(kind=Kind.MATURITY, year=2030, closes_on=dt.date(2030, 6, 30))
    with pytest.raises(ValidationError):
        services.campaign_create(kind=Kind.MATURITY, year=2030, closes_on=dt.date(2030, 6, 30))


def test_an_uninvited_member_cannot_answer():
    invited, outsider = _adherent(), _adherent()
    campaign = open_campaign([invited])
    with pytest.raises(ValidationError):
        services.response_save(campaign=campaign, member=outsider, answers=GOOD)
