"""The catalogue of pooled services, members' subscriptions and their requests."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mutualis.core.models import TimeStampedModel
from mutualis.members.access import MemberOwnedQuerySet
from mutualis.members.models import Member, MemberKind
from mutualis.members.size import SizeClass


class Unit(models.TextChoices):
    GIGABYTE = "gb", _("Go stocké")
    PUPIL = "pupil", _("élève")
    CERTIFICATE = "certificate", _("certificat")
    USER_ACCOUNT = "user_account", _("compte utilisateur")
    DAY = "day", _("jour de travail")
    ESTABLISHMENT = "establishment", _("établissement")
    INHABITANT = "inhabitant", _("habitant")
    DOCUMENT = "document", _("document")
    EURO = "euro", _("euro d'achats")
    FLAT = "flat", _("forfait")


class UsageKind(models.TextChoices):
    STOCK = "stock", _("Stock (relevé à une date : Go stockés, élèves inscrits)")
    FLOW = "flow", _("Flux (cumul sur la période : certificats délivrés, jours travaillés)")


class YearlyReading(models.TextChoices):
    LAST = "last", _("Dernier relevé de l'année")
    MEAN = "mean", _("Moyenne des relevés")
    MAX = "max", _("Plus haut relevé")
    SUM = "sum", _("Somme de l'année")


class Category(models.TextChoices):
    INFRASTRUCTURE = "infrastructure", _("Infrastructure et hébergement")
    DEMATERIALISATION = "dematerialisation", _("Dématérialisation")
    SECURITY = "security", _("Sécurité et RGPD")
    COLLABORATION = "collaboration", _("Travail collaboratif")
    EDUCATION = "education", _("Éducation")
    TERRITORY = "territory", _("Territoire et données")
    SUPPORT = "support", _("Assistance et accompagnement")


class ServiceStatus(models.TextChoices):
    OFFERED = "offered", _("Proposé")
    CLOSED = "closed", _("Fermé")


class Service(TimeStampedModel):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("catégorie"), max_length=30, choices=Category.choices)
    unit = models.CharField(_("unité de compte"), max_length=20, choices=Unit.choices)
    eligible_kinds = models.JSONField(
        _("types de membres pouvant souscrire"),
        default=list,
        blank=True,
        help_text=_("Vide : tous les types de membres."),
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=ServiceStatus.choices, default=ServiceStatus.OFFERED
    )
    usage_kind = models.CharField(
        _("nature des consommations"),
        max_length=10,
        choices=UsageKind.choices,
        default=UsageKind.FLOW,
    )
    yearly_reading = models.CharField(
        _("lecture annuelle des relevés"),
        max_length=10,
        choices=YearlyReading.choices,
        default=YearlyReading.SUM,
        help_text=_("Comment l'année se lit à partir des relevés mensuels."),
    )

    class Meta:
        verbose_name = _("service")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def is_open_to(self, member: Member) -> bool:
        if self.status != ServiceStatus.OFFERED:
            return False
        return not self.eligible_kinds or member.kind in self.eligible_kinds

    def eligible_kind_labels(self) -> list[str]:
        labels = dict(MemberKind.choices)
        return [str(labels.get(kind, kind)) for kind in self.eligible_kinds]


class SubscriptionScope(models.TextChoices):
    SELF = "self", _("Le membre seul")
    WITH_COMMUNES = "with_communes", _("L'EPCI et toutes ses communes")
    WITH_ESTABLISHMENTS = (
        "with_establishments",
        _("L'EPCI, ses communes et des établissements choisis"),
    )


class RebillKey(models.TextChoices):
    POPULATION = "population", _("Au prorata de la population")
    USAGE = "usage", _("Au prorata des consommations")
    EQUAL = "equal", _("À parts égales")


class OwnRebillKey(models.TextChoices):
    """How an EPCI passes its own participation on to its communes (no usage key: its usage
    is not a commune's)."""

    POPULATION = "population", _("Au prorata de la population")
    EQUAL = "equal", _("À parts égales")


class SubscriptionQuerySet(MemberOwnedQuerySet):
    def active_on(self, day):
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=day), start_date__lte=day)

    def current_or_future(self, day=None):
        """Not ended on `day` (today by default): running now or starting later."""
        from django.utils import timezone

        day = day or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=day))


class Subscription(TimeStampedModel):
    """A member using a service from a date; its scope says whom it covers (and who pays)."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="subscriptions")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="subscriptions")
    scope = models.CharField(
        _("périmètre"),
        max_length=30,
        choices=SubscriptionScope.choices,
        default=SubscriptionScope.SELF,
    )
    covered_establishments = models.ManyToManyField(
        Member,
        verbose_name=_("établissements couverts"),
        blank=True,
        related_name="covering_subscriptions",
    )
    rebill_key = models.CharField(
        _("refacturation aux communes"),
        max_length=20,
        choices=RebillKey.choices,
        blank=True,
        help_text=_("L'EPCI paie pour ses communes puis les refacture selon cette clé."),
    )
    rebill_own_key = models.CharField(
        _("refacturation de la participation propre"),
        max_length=20,
        choices=OwnRebillKey.choices,
        blank=True,
        help_text=_(
            "L'EPCI refacture aussi sa propre participation aux communes pour lesquelles il "
            "paie, selon cette clé."
        ),
    )
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("souscription")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="subscription_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["member", "service", "start_date"],
                name="subscription_unique_member_service_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.service}"


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    APPROVED = "approved", _("Acceptée")
    REFUSED = "refused", _("Refusée")
    CANCELLED = "cancelled", _("Annulée")


class ServiceRequestQuerySet(MemberOwnedQuerySet):
    def pending(self):
        return self.filter(status=RequestStatus.PENDING)


class ServiceRequest(TimeStampedModel):
    """A member agent's request for a service, decided by operator staff."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="service_requests")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="requests")
    scope = models.CharField(
        _("périmètre"),
        max_length=30,
        choices=SubscriptionScope.choices,
        default=SubscriptionScope.SELF,
    )
    desired_start_date = models.DateField(_("date de début souhaitée"))
    message = models.TextField(_("message"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decided_service_requests",
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    decision_reason = models.TextField(_("motif"), blank=True)
    subscription = models.OneToOneField(
        Subscription, on_delete=models.PROTECT, null=True, blank=True, related_name="request"
    )

    objects = ServiceRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("demande de service")
        verbose_name_plural = _("demandes de service")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.member} demande {self.service}"


class ReferencePrice(TimeStampedModel):
    """What a member of a size class would pay per year to get the service alone (its own
    licence, hosting, provider…): the reference of the savings of pooling, with its source."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="reference_prices")
    size_class = models.CharField(
        _("taille de la collectivité"), max_length=12, choices=SizeClass.choices
    )
    yearly_cents = models.BigIntegerField(_("prix seul par an (centimes)"))
    source = models.TextField(
        _("source"),
        help_text=_(
            "D'où vient ce prix : devis, marché d'une collectivité comparable, étude… "
            "Il est montré aux élus à côté de l'économie calculée."
        ),
    )

    class Meta:
        verbose_name = _("prix de référence « seul »")
        verbose_name_plural = _("prix de référence « seul »")
        ordering = ["service__name", "size_class"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "size_class"], name="reference_price_unique_class"
            ),
            models.CheckConstraint(
                condition=Q(yearly_cents__gte=0), name="reference_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} — {self.get_size_class_display()}"
