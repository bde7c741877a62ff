"""The e-mails of a survey: one per agent of each member concerned, with the link to the
answer page of « Mon espace »."""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from mutualis.core.jobs import job_run
from mutualis.members.models import AgentAccess
from mutualis.surveys.models import MailingKind, SurveyMailing


def recipients(member_ids) -> dict[int, list[str]]:
    """Each member's agents' addresses (the agents attached to the member itself)."""
    result: dict[int, list[str]] = {pk: [] for pk in member_ids}
    accesses = (
        AgentAccess.objects.filter(member_id__in=member_ids, user__is_active=True)
        .exclude(user__email="")
        .values_list("member_id", "user__email")
        .order_by("member_id", "user__email")
    )
    for member_id, email in accesses:
        if email not in result[member_id]:
            result[member_id].append(email)
    return result


def _deliver(mailing: SurveyMailing, progress) -> dict:
    campaign = mailing.campaign
    addresses = recipients(mailing.member_ids)
    reminder = mailing.kind == MailingKind.REMINDER
    subject = (_("Relance : %(title)s") if reminder else _("Enquête : %(title)s")) % {
        "title": campaign.title
    }
    progress(step=_("Envoi des courriels"), done=0, total=len(addresses))
    sent = 0
    names = dict(campaign.invitations.values_list("member_id", "member__name"))
    with get_connection() as connection:
        for done, (member_id, emails) in enumerate(sorted(addresses.items()), start=1):
            if emails:
                path = reverse(
                    "surveys_portal:answer", kwargs={"member_pk": member_id, "pk": campaign.pk}
                )
                body = render_to_string(
                    "surveys/email/invitation.txt",
                    {
                        "campaign": campaign,
                        "member_name": names.get(member_id, ""),
                        "link": f"{campaign.site_address}{path}",
                        "reminder": reminder,
                        "operator_name": settings.OPERATOR_NAME,
                    },
                )
                EmailMessage(subject, body, to=emails, connection=connection).send()
                sent += len(emails)
            progress(done=done)
    without = sum(1 for emails in addresses.values() if not emails)
    type(mailing).objects.filter(pk=mailing.pk).update(sent=sent, without_address=without)
    return {"sent": sent, "without_address": without}


def mailing_deliver(*, mailing_id: int) -> dict | None:
    return job_run(SurveyMailing, mailing_id, _deliver)
