"""ProConnect identities linked to accounts, and the access requests of unknown agents."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mutualis.core.models import TimeStampedModel
from mutualis.members.access import MemberOwnedQuerySet
from mutualis.members.models import Member


class ProConnectIdentity(TimeStampedModel):
    """The ProConnect identity (`sub`) of an account: an agent's, or a staff member's who
    linked it from their account page."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proconnect_identity"
    )
    sub = models.CharField(_("identifiant ProConnect (sub)"), max_length=255, unique=True)
    email = models.EmailField(_("courriel ProConnect"), blank=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    idp_id = models.CharField(_("fournisseur d'identité"), max_length=255, blank=True)
    last_login_at = models.DateTimeField(_("dernière connexion"), null=True, blank=True)

    class Meta:
        verbose_name = _("identité ProConnect")
        verbose_name_plural = _("identités ProConnect")

    def __str__(self) -> str:
        return f"{self.user} ({self.email or self.sub})"


class AccessRequestStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    APPROVED = "approved", _("Acceptée")
    REFUSED = "refused", _("Refusée")


class AccessRequestQuerySet(MemberOwnedQuerySet):
    def pending(self):
        return self.filter(status=AccessRequestStatus.PENDING)


class AccessRequest(TimeStampedModel):
    """An agent of a known member, unknown here, who signed in with ProConnect: the operator
    accepts (an account with access to the member is made) or refuses."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="access_requests")
    sub = models.CharField(_("identifiant ProConnect (sub)"), max_length=255)
    email = models.EmailField(_("courriel"))
    given_name = models.CharField(_("prénom"), max_length=150, blank=True)
    usual_name = models.CharField(_("nom"), max_length=150, blank=True)
    siret = models.CharField(_("SIRET"), max_length=14)
    idp_id = models.CharField(_("fournisseur d'identité"), max_length=255, blank=True)
    status = models.CharField(
        _("statut"),
        max_length=10,
        choices=AccessRequestStatus.choices,
        default=AccessRequestStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décidée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte créé"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = AccessRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("demande d'accès ProConnect")
        verbose_name_plural = _("demandes d'accès ProConnect")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["sub", "member"],
                condition=Q(status="pending"),
                name="proconnect_one_pending_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_name} → {self.member}"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.usual_name}".strip() or self.email
