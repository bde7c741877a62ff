"""Members of the operator, their memberships (adhésions), decisions and agreements."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mutualis.core.models import TimeStampedModel
from mutualis.core.text import normalize_name
from mutualis.members.access import MemberOwnedQuerySet
from mutualis.territory.models import Commune, Departement, Epci


class MemberKind(models.TextChoices):
    REGION = "region", _("Région")
    DEPARTEMENT = "departement", _("Département")
    EPCI = "epci", _("EPCI")
    COMMUNE = "commune", _("Commune")
    ESTABLISHMENT = "establishment", _("Établissement public")
    OTHER = "other", _("Autre organisme public")


class EstablishmentKind(models.TextChoices):
    CCAS = "ccas", _("CCAS / CIAS")
    SYNDICATE = "syndicate", _("Syndicat")
    EHPAD = "ehpad", _("EHPAD")
    TOURISM_OFFICE = "tourism_office", _("Office de tourisme")
    SCHOOL = "school", _("École / établissement scolaire")
    LIBRARY = "library", _("Médiathèque")
    OTHER = "other", _("Autre")


class MemberQuerySet(MemberOwnedQuerySet):
    member_field = "pk"

    def in_epci_perimeter(self, epci_id: int):
        """The EPCI itself, its communes and their establishments: one query."""
        return self.filter(epci_id=epci_id)


class Member(TimeStampedModel):
    """A public body of the operator's perimeter, member or not (yet)."""

    kind = models.CharField(_("type"), max_length=20, choices=MemberKind.choices)
    establishment_kind = models.CharField(
        _("type d'établissement"), max_length=20, choices=EstablishmentKind.choices, blank=True
    )
    name = models.CharField(_("nom"), max_length=200)
    search_name = models.CharField(_("nom normalisé"), max_length=200, blank=True, editable=False)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True)
    insee_code = models.CharField(_("code INSEE"), max_length=5, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("rattaché à"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("Commune ou EPCI de rattachement d'un établissement."),
    )
    commune = models.OneToOneField(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="member"
    )
    territory_epci = models.OneToOneField(
        Epci, on_delete=models.PROTECT, null=True, blank=True, related_name="member"
    )
    # Denormalised perimeter, kept by the services: the EPCI whose territory holds this member,
    # and its département. They make hierarchy and coverage queries single, indexed lookups.
    epci = models.ForeignKey(
        Epci,
        verbose_name=_("EPCI du territoire"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="perimeter_members",
    )
    departement = models.ForeignKey(
        Departement, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    email = models.EmailField(_("courriel"), blank=True)
    address = models.TextField(_("adresse"), blank=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("membre")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["siren"], condition=~Q(siren=""), name="member_unique_siren"
            ),
        ]
        indexes = [models.Index(fields=["kind", "name"]), models.Index(fields=["search_name"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = normalize_name(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)


class Decision(TimeStampedModel):
    """A délibération: the vote of a member's (or the operator's) assembly."""

    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        help_text=_("Vide pour une délibération de l'opérateur."),
    )
    body = models.CharField(_("instance"), max_length=200)
    number = models.CharField(_("numéro"), max_length=50, blank=True)
    date = models.DateField(_("date"))
    subject = models.CharField(_("objet"), max_length=300)
    document = models.FileField(_("document"), upload_to="decisions/%Y/", blank=True)

    class Meta:
        verbose_name = _("délibération")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.body} n° {self.number} du {self.date:%d/%m/%Y}"


class Agreement(TimeStampedModel):
    """A convention between the operator and a member, possibly tripartite."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="agreements")
    third_party = models.ForeignKey(
        Member,
        verbose_name=_("tiers (convention tripartite)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="third_party_agreements",
    )
    reference = models.CharField(_("référence"), max_length=100)
    signed_on = models.DateField(_("signée le"), null=True, blank=True)
    document = models.FileField(_("document"), upload_to="agreements/%Y/", blank=True)

    class Meta:
        verbose_name = _("convention")
        ordering = ["-signed_on"]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_tripartite(self) -> bool:
        return self.third_party_id is not None


class MembershipPart(models.TextChoices):
    COMPULSORY = "compulsory", _("Part obligatoire (statuts)")
    OPTIONAL = "optional", _("Services optionnels")
    FULL = "full", _("Part obligatoire et services optionnels")


class MembershipQuerySet(MemberOwnedQuerySet):
    def active_on(self, day):
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=day), start_date__lte=day)


class Membership(TimeStampedModel):
    """An adhésion: kept forever; it ends, it is never deleted."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="memberships")
    part = models.CharField(
        _("part des statuts"),
        max_length=20,
        choices=MembershipPart.choices,
        default=MembershipPart.FULL,
    )
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"), null=True, blank=True)
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("délibération"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("convention"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    end_reason = models.CharField(_("motif de fin"), max_length=300, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("adhésion")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["member", "start_date"], name="membership_unique_member_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} depuis le {self.start_date:%d/%m/%Y}"


class AgentAccess(TimeStampedModel):
    """Attaches a member agent to a member; an EPCI agent may see the EPCI's perimeter too."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agent_accesses"
    )
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="agent_accesses")
    includes_perimeter = models.BooleanField(
        _("voit aussi les communes et établissements de l'EPCI"), default=False
    )
    is_elected = models.BooleanField(
        _("élu"),
        default=False,
        help_text=_(
            "Un élu de la collectivité : il arrive sur la page « Ce que la mutualisation nous "
            "apporte » plutôt que sur Mon espace."
        ),
    )

    class Meta:
        verbose_name = _("accès agent")
        verbose_name_plural = _("accès agents")
        constraints = [
            models.UniqueConstraint(fields=["user", "member"], name="agent_access_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.member}"
