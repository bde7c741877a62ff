"""A campaign, its lots and the members invited to it."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mutualis.catalog.models import Service
from mutualis.core.models import TimeStampedModel
from mutualis.members.access import MemberOwnedQuerySet, visible_member_ids
from mutualis.members.models import Member, MemberKind


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    NEEDS = "needs", _("Recueil des besoins")
    OFFERS = "offers", _("Consultation des fournisseurs")
    AWARDED = "awarded", _("Attribuée")
    CLOSED = "closed", _("Clôturée")


class InvitationMode(models.TextChoices):
    ALL = "all", _("Tous les adhérents")
    KIND = "kind", _("Les adhérents d'un type")
    EPCI = "epci", _("Un EPCI et ses communes")
    CHOSEN = "chosen", _("Des membres choisis")


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user):
        ids = visible_member_ids(user)
        if ids is None:
            return self
        invited = Invitation.objects.filter(member_id__in=ids).values("campaign_id")
        return self.filter(pk__in=invited).exclude(status=CampaignStatus.DRAFT)


class Campaign(TimeStampedModel):
    """A groupement de commandes: the operator coordinates, each member buys for itself."""

    name = models.CharField(_("objet"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    needs_deadline = models.DateField(_("date limite de recueil des besoins"))
    offers_deadline = models.DateField(_("date limite de remise des offres"))
    award_date = models.DateField(_("date d'attribution prévue"))
    contract_start = models.DateField(_("début du marché"))
    contract_end = models.DateField(_("fin du marché"))
    agreement_reference = models.CharField(
        _("référence de la convention constitutive"), max_length=100, blank=True
    )
    agreement_date = models.DateField(_("date de la convention"), null=True, blank=True)
    agreement_document = models.FileField(
        _("convention constitutive (document)"), upload_to="purchasing/%Y/", blank=True
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
    price_weight = models.PositiveSmallIntegerField(
        _("poids du critère prix"),
        default=100,
        help_text=_("Sur le total des poids : 60 avec une valeur technique à 40, par exemple."),
    )
    fee_service = models.ForeignKey(
        Service,
        verbose_name=_("service des frais de coordination"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="purchasing_campaigns",
        help_text=_(
            "Facultatif. Unité « euro d'achats » (frais proportionnels) ou « forfait ». "
            "Les frais passent par la facturation comme consommation de ce service."
        ),
    )
    renewed_from = models.ForeignKey(
        "self",
        verbose_name=_("renouvelle la campagne"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewals",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campagne d'achat groupé")
        verbose_name_plural = _("campagnes d'achat groupé")
        ordering = ["-needs_deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contract_end__gte=models.F("contract_start")),
                name="campaign_contract_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors = {}
        dates = [self.needs_deadline, self.offers_deadline, self.award_date, self.contract_start]
        if all(dates) and self.contract_end:
            if not self.needs_deadline <= self.offers_deadline <= self.award_date:
                errors["offers_deadline"] = _(
                    "Le calendrier doit se suivre : besoins, offres, puis attribution."
                )
            if self.contract_end < self.contract_start:
                errors["contract_end"] = _("La fin du marché précède son début.")
        if self.fee_service_id and self.fee_service.unit not in ("euro", "flat"):
            errors["fee_service"] = _(
                "Choisissez un service compté en « euro d'achats » ou au « forfait »."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def needs_open(self) -> bool:
        return self.status == CampaignStatus.NEEDS

    @property
    def is_awarded(self) -> bool:
        return self.status in (CampaignStatus.AWARDED, CampaignStatus.CLOSED)


class LotQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(campaign__in=Campaign.objects.visible_to(user))


class Lot(TimeStampedModel):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="lots")
    number = models.PositiveSmallIntegerField(_("numéro"))
    name = models.CharField(_("intitulé"), max_length=200)
    unit = models.CharField(
        _("unité"), max_length=50, help_text=_("Ce qui se commande : forfait mensuel, acte...")
    )
    description = models.TextField(_("description"), blank=True)
    max_quantity = models.DecimalField(
        _("quantité maximale du marché"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    reference_unit_price = models.DecimalField(
        _("prix unitaire de référence du marché"),
        max_digits=12,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Prix « seul » pour les membres qui n'indiquent pas le leur."),
    )
    previous_lot = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    awarded_offer = models.OneToOneField(
        "purchasing.Offer",
        verbose_name=_("offre retenue"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awarded_lot",
    )
    awarded_unit_price = models.DecimalField(
        _("prix unitaire attribué"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    award_decision = models.ForeignKey(
        "members.Decision",
        verbose_name=_("délibération d'attribution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="purchasing_lots",
    )
    award_justification = models.TextField(
        _("justification du choix"),
        blank=True,
        help_text=_("Obligatoire quand l'offre retenue n'est pas la mieux classée."),
    )

    objects = LotQuerySet.as_manager()

    class Meta:
        verbose_name = _("lot")
        ordering = ["campaign", "number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="lot_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class InvitationQuerySet(MemberOwnedQuerySet):
    def participating(self):
        return self.filter(answered_at__isnull=False, withdrawn_at__isnull=True)


class Invitation(TimeStampedModel):
    """A member invited to a campaign: the explicit list, whatever the invitation mode."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="purchasing_invitations"
    )
    answered_at = models.DateTimeField(_("réponse le"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("retrait le"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        ordering = ["campaign", "member__name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "member"], name="invitation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.campaign}"

    @property
    def participates(self) -> bool:
        return self.answered_at is not None and self.withdrawn_at is None
