"""Writes of the surveys: campaigns, invitations, sending and reminders, answers, closing."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.core.jobs import job_enqueue
from mutualis.members.models import Member
from mutualis.purchasing.models import InvitationMode
from mutualis.purchasing.services.campaigns import members_for_invitation
from mutualis.surveys import stats
from mutualis.surveys.answers import answer_errors, cleaned
from mutualis.surveys.definitions import (
    CURRENT_VERSION,
    KIND_LABELS,
    SATISFIED_FROM,
    Kind,
)
from mutualis.surveys.models import (
    MailingKind,
    SurveyCampaign,
    SurveyInvitation,
    SurveyMailing,
    SurveyResponse,
    SurveyStatus,
)

REMIND_AFTER_DAYS = 7
"""The scheduled reminder writes to those who have not answered once a week at most."""


@transaction.atomic
def campaign_create(
    *, kind: str, year: int, closes_on: dt.date, title: str = "", message: str = "", created_by=None
) -> SurveyCampaign:
    if SurveyCampaign.objects.filter(kind=kind, year=year).exists():
        raise ValidationError(
            {
                "year": _("Une enquête « %(kind)s » existe déjà pour %(year)s.")
                % {"kind": KIND_LABELS[kind], "year": year}
            }
        )
    campaign = SurveyCampaign(
        kind=kind,
        version=CURRENT_VERSION[kind],
        year=year,
        title=title.strip() or f"{KIND_LABELS[kind]} {year}",
        closes_on=closes_on,
        message=message,
        created_by=created_by,
    )
    campaign.full_clean()
    try:
        with transaction.atomic():
            campaign.save()
    except IntegrityError as exc:  # a twin created at the same moment
        raise ValidationError({"year": _("Cette enquête existe déjà pour cette année.")}) from exc
    return campaign


@transaction.atomic
def campaign_update(*, campaign: SurveyCampaign, closes_on: dt.date, message: str, title: str):
    if campaign.status == SurveyStatus.CLOSED:
        raise ValidationError(_("Cette enquête est clôturée."))
    campaign.closes_on = closes_on
    campaign.message = message
    campaign.title = title.strip() or campaign.title
    campaign.full_clean()
    campaign.save()
    return campaign


@transaction.atomic
def campaign_invite(
    *,
    campaign: SurveyCampaign,
    mode: str,
    kind: str = "",
    epci: Member | None = None,
    members=(),
    day: dt.date | None = None,
    created_by=None,
) -> list[int]:
    """Adds the designated members (as purchasing designates them); returns the new ones'
    ids. Members added to a campaign already sent are sent their invitation too."""
    if campaign.status == SurveyStatus.CLOSED:
        raise ValidationError(_("Cette enquête est clôturée."))
    designated = members_for_invitation(mode=mode, kind=kind, epci=epci, members=members, day=day)
    already = set(campaign.invitations.values_list("member_id", flat=True))
    new_ids = [pk for pk in designated.values_list("pk", flat=True) if pk not in already]
    SurveyInvitation.objects.bulk_create(
        [SurveyInvitation(campaign=campaign, member_id=pk) for pk in new_ids]
    )
    campaign.invitation_mode = mode
    campaign.invitation_kind = kind if mode == InvitationMode.KIND else ""
    campaign.invitation_epci = epci if mode == InvitationMode.EPCI else None
    campaign.save(
        update_fields=["invitation_mode", "invitation_kind", "invitation_epci", "updated_at"]
    )
    if campaign.status == SurveyStatus.OPEN:
        _mailing(campaign, MailingKind.INVITATION, new_ids, created_by)
    return new_ids


def _mailing(campaign, kind, member_ids, created_by) -> SurveyMailing | None:
    if not member_ids:
        return None
    mailing = SurveyMailing.objects.create(
        campaign=campaign, kind=kind, member_ids=sorted(member_ids), created_by=created_by
    )
    job_enqueue(mailing)
    return mailing


@transaction.atomic
def campaign_send(*, campaign: SurveyCampaign, site_address: str = "", created_by=None):
    """Opens the campaign and e-mails the invited members' agents (in the background)."""
    campaign = SurveyCampaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != SurveyStatus.DRAFT:
        raise ValidationError(_("Cette enquête est déjà envoyée."))
    if campaign.closes_on < timezone.localdate():
        raise ValidationError(_("La date de clôture est passée : reportez-la avant d'envoyer."))
    member_ids = list(campaign.invitations.values_list("member_id", flat=True))
    if not member_ids:
        raise ValidationError(_("Invitez des membres avant d'envoyer l'enquête."))
    campaign.status = SurveyStatus.OPEN
    campaign.sent_at = timezone.now()
    campaign.site_address = site_address.rstrip("/")[:200]
    campaign.save(update_fields=["status", "sent_at", "site_address", "updated_at"])
    return _mailing(campaign, MailingKind.INVITATION, member_ids, created_by)


def not_answered(campaign: SurveyCampaign):
    return campaign.invitations.exclude(
        member_id__in=campaign.responses.values("member_id")
    ).order_by("member__name")


@transaction.atomic
def campaign_remind(
    *, campaign: SurveyCampaign, created_by=None, older_than: dt.datetime | None = None
):
    """Reminds the members that have not answered (those reminded after `older_than` are
    left alone); None when nobody is to be reminded."""
    if not campaign.accepts_answers():
        raise ValidationError(_("L'enquête n'accepte plus de réponses : pas de relance."))
    pending = not_answered(campaign)
    if older_than is not None:
        pending = pending.exclude(reminded_at__gt=older_than)
    member_ids = list(pending.values_list("member_id", flat=True))
    now = timezone.now()
    for invitation in SurveyInvitation.objects.filter(
        campaign=campaign, member_id__in=member_ids
    ).select_for_update():
        invitation.reminded_at = now
        invitation.reminders += 1
        invitation.save(update_fields=["reminded_at", "reminders", "updated_at"])
    return _mailing(campaign, MailingKind.REMINDER, member_ids, created_by)


def reminders_due(*, now: dt.datetime | None = None) -> list[SurveyMailing]:
    """The scheduled reminder: every open campaign sent a week ago or more, to the members
    not reminded in the last week."""
    now = now or timezone.now()
    older_than = now - dt.timedelta(days=REMIND_AFTER_DAYS)
    mailings = []
    for campaign in SurveyCampaign.objects.filter(
        status=SurveyStatus.OPEN, closes_on__gte=timezone.localdate(), sent_at__lte=older_than
    ):
        mailing = campaign_remind(campaign=campaign, older_than=older_than)
        if mailing is not None:
            mailings.append(mailing)
    return mailings


@transaction.atomic
def campaign_close(*, campaign: SurveyCampaign) -> SurveyCampaign:
    if campaign.status != SurveyStatus.OPEN:
        raise ValidationError(_("Seule une enquête ouverte peut être clôturée."))
    campaign.status = SurveyStatus.CLOSED
    campaign.closed_at = timezone.now()
    campaign.save(update_fields=["status", "closed_at", "updated_at"])
    return campaign


def satisfaction_of(campaign: SurveyCampaign, answers: dict):
    if campaign.kind != Kind.SATISFACTION:
        return None
    codes = [q.code for q in campaign.definition.questions if q.counts_in_satisfaction]
    return stats.member_satisfaction(answers, codes, SATISFIED_FROM)


@transaction.atomic
def response_save(
    *, campaign: SurveyCampaign, member: Member, answers: dict, answered_by=None, day=None
) -> SurveyResponse:
    """Records the member's answer, or replaces it (until the closing date)."""
    if not campaign.accepts_answers(day):
        raise ValidationError(_("Cette enquête est close : les réponses ne sont plus modifiables."))
    if not campaign.invitations.filter(member=member).exists():
        raise ValidationError(_("Votre collectivité n'est pas invitée à cette enquête."))
    errors = answer_errors(campaign.definition, answers)
    if errors:
        raise ValidationError(errors)
    values = cleaned(campaign.definition, answers)
    now = timezone.now()
    response = (
        SurveyResponse.objects.select_for_update().filter(campaign=campaign, member=member).first()
    )
    if response is None:
        response = SurveyResponse(campaign=campaign, member=member, submitted_at=now)
    else:
        response.edits += 1
    response.answers = values
    response.satisfaction = satisfaction_of(campaign, values)
    response.answered_by = answered_by
    response.save()
    return response
