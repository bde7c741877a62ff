"""A survey campaign of a built-in kind for a year, the members invited, their answers and
the e-mails that invite and remind them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mutualis.core.jobs import Job
from mutualis.core.models import TimeStampedModel
from mutualis.members.access import MemberOwnedQuerySet, visible_member_ids
from mutualis.members.models import Member, MemberKind
from mutualis.purchasing.models import InvitationMode
from mutualis.surveys.definitions import KIND_LABELS, Definition, Kind, definition


class SurveyKind(models.TextChoices):
    SATISFACTION = Kind.SATISFACTION, KIND_LABELS[Kind.SATISFACTION]
    PRIORITIES = Kind.PRIORITIES, KIND_LABELS[Kind.PRIORITIES]
    MATURITY = Kind.MATURITY, KIND_LABELS[Kind.MATURITY]


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    OPEN = "open", _("Ouverte")
    CLOSED = "closed", _("Clôturée")


class SurveyCampaignQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Operator staff: every campaign; an agent: the sent campaigns its members are
        invited to."""
        ids = visible_member_ids(user)
        if ids is None:
            return self
        invited = SurveyInvitation.objects.filter(member_id__in=ids).values("campaign_id")
        return self.filter(pk__in=invited).exclude(status=SurveyStatus.DRAFT)


class SurveyCampaign(TimeStampedModel):
    kind = models.CharField(_("enquête"), max_length=20, choices=SurveyKind.choices)
    version = models.PositiveSmallIntegerField(_("version des questions"))
    year = models.PositiveSmallIntegerField(_("année"))
    title = models.CharField(_("intitulé"), max_length=200)
    status = models.CharField(
        _("statut"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    closes_on = models.DateField(_("date de clôture"))
    message = models.TextField(
        _("mot d'accompagnement"),
        blank=True,
        help_text=_("Ajouté au courriel d'invitation, après le lien vers l'enquête."),
    )
    invitation_mode = models.CharField(
        _("membres invités"), max_length=10, choices=InvitationMode.choices, blank=True
    )
    invitation_kind = models.CharField(
        _("type de membres invités"), max_length=20, choices=MemberKind.choices, blank=True
    )
    invitation_epci = models.ForeignKey(
        Member,
        verbose_name=_("EPCI invité avec ses communes"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    site_address = models.CharField(
        _("adresse du site"),
        max_length=200,
        blank=True,
        help_text=_("L'adresse d'où l'enquête a été envoyée : les liens des relances y mènent."),
    )
    closed_at = models.DateTimeField(_("clôturée le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = SurveyCampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campagne d'enquête")
        verbose_name_plural = _("campagnes d'enquête")
        ordering = ["-year", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="survey_one_campaign_per_year"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def definition(self) -> Definition:
        return definition(self.kind, self.version)

    def accepts_answers(self, day=None) -> bool:
        day = day or timezone.localdate()
        return self.status == SurveyStatus.OPEN and day <= self.closes_on


class SurveyInvitation(TimeStampedModel):
    campaign = models.ForeignKey(
        SurveyCampaign, on_delete=models.CASCADE, related_name="invitations"
    )
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="survey_invitations")
    reminded_at = models.DateTimeField(_("dernière relance le"), null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(_("relances"), default=0)

    objects = MemberOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation à une enquête")
        ordering = ["campaign", "member__name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "member"], name="survey_invitation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.campaign}"


class SurveyResponse(TimeStampedModel):
    """The one answer of a member to a campaign, given by one of its agents; edited until
    the closing date (`answered_by` is who saved it last)."""

    campaign = models.ForeignKey(SurveyCampaign, on_delete=models.CASCADE, related_name="responses")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="survey_responses")
    answers = models.JSONField(_("réponses"), default=dict)
    satisfaction = models.DecimalField(
        _("satisfaction (% des notes à 4 ou 5)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("répondu par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("première réponse le"))
    edits = models.PositiveSmallIntegerField(_("modifications"), default=0)

    objects = MemberOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("réponse à une enquête")
        ordering = ["campaign", "member__name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "member"], name="survey_one_response"),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.campaign}"


class MailingKind(models.TextChoices):
    INVITATION = "invitation", _("Invitation")
    REMINDER = "reminder", _("Relance")


class SurveyMailing(Job):
    """The e-mails of an invitation or a reminder, sent in the background to the agents of
    the members concerned; what was sent is recorded."""

    task_path = "mutualis.surveys.tasks.send_mailing"

    campaign = models.ForeignKey(SurveyCampaign, on_delete=models.CASCADE, related_name="mailings")
    kind = models.CharField(_("envoi"), max_length=12, choices=MailingKind.choices)
    member_ids = models.JSONField(_("membres"), default=list)
    sent = models.PositiveIntegerField(_("courriels envoyés"), default=0)
    without_address = models.PositiveIntegerField(_("membres sans agent joignable"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("envoi d'enquête")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.campaign}"
