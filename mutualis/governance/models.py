"""The operator's bodies (comité syndical, bureau, comités de pilotage, clubs utilisateurs),
their members, meetings, convocations and attendance, and the register of délibérations.

A register entry (`Deliberation`) completes one `members.Decision` — the row every other app
already points to (tariff adoption, purchasing award, staffing agreement, correction of a run):
what a délibération decides is read through those links, so nothing is written twice.
Memberships admitted or ended by the operator's body are linked here (`memberships`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mutualis.core.jobs import Job
from mutualis.core.models import TimeStampedModel
from mutualis.governance.rules import ACTES_MATIERES, matiere_label, quorum_needed
from mutualis.members.models import Decision, Member, Membership

MATIERE_CHOICES = [(code, matiere_label(code)) for code in ACTES_MATIERES]


class BodyKind(models.TextChoices):
    COMMITTEE = "committee", _("Comité syndical")
    BUREAU = "bureau", _("Bureau")
    STEERING = "steering", _("Comité de pilotage")
    USER_CLUB = "user_club", _("Club utilisateurs")
    OTHER = "other", _("Autre instance")


class Body(TimeStampedModel):
    """An assembly of the operator. Only the comité syndical and the bureau adopt
    délibérations; steering committees and user clubs give opinions."""

    kind = models.CharField(_("type"), max_length=12, choices=BodyKind.choices)
    name = models.CharField(_("nom"), max_length=200, unique=True)
    notice_days = models.PositiveSmallIntegerField(
        _("délai de convocation (jours francs)"),
        default=5,
        help_text=_(
            "Comité syndical : 5 jours francs (CGCT L2121-12 par L5211-1), 3 si aucune commune "
            "membre n'a 3 500 habitants (L2121-11) ; syndicat mixte ouvert : ses statuts."
        ),
    )

    class Meta:
        verbose_name = _("instance")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def deliberates(self) -> bool:
        return self.kind in (BodyKind.COMMITTEE, BodyKind.BUREAU, BodyKind.OTHER)


class SeatRole(models.TextChoices):
    PRESIDENT = "president", _("Président(e)")
    VICE_PRESIDENT = "vice_president", _("Vice-président(e)")
    DELEGATE = "delegate", _("Délégué(e) titulaire")
    SUBSTITUTE = "substitute", _("Délégué(e) suppléant(e)")
    GUEST = "guest", _("Membre associé (voix consultative)")


class BodyMemberQuerySet(models.QuerySet):
    def in_office_on(self, day):
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=day), start_date__lte=day)

    def voting(self):
        return self.filter(votes__gt=0)


class BodyMember(TimeStampedModel):
    """A seat: an elected delegate (or guest) of a body, for a period."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="seats")
    name = models.CharField(_("nom"), max_length=200)
    email = models.EmailField(_("courriel"), blank=True)
    represents = models.ForeignKey(
        Member,
        verbose_name=_("collectivité représentée"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="body_seats",
    )
    role = models.CharField(_("qualité"), max_length=16, choices=SeatRole.choices)
    votes = models.PositiveSmallIntegerField(
        _("voix"), default=1, help_text=_("0 : voix consultative (suppléant, membre associé).")
    )
    start_date = models.DateField(_("début du mandat"))
    end_date = models.DateField(_("fin du mandat"), null=True, blank=True)

    objects = BodyMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("membre d'une instance")
        verbose_name_plural = _("membres des instances")
        ordering = ["body", "role", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="seat_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Meeting(TimeStampedModel):
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField(_("date"))
    time = models.TimeField(_("heure"), null=True, blank=True)
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    second_convocation = models.BooleanField(
        _("seconde convocation"),
        default=False,
        help_text=_(
            "Réunion convoquée à nouveau faute de quorum : elle délibère sans condition de "
            "quorum (CGCT L2121-17)."
        ),
    )

    class Meta:
        verbose_name = _("séance")
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["body", "date"], name="meeting_unique_body_date")
        ]

    def __str__(self) -> str:
        return f"{self.body} du {self.date:%d/%m/%Y}"

    def seats_in_office(self):
        return self.body.seats.in_office_on(self.date).voting()

    def quorum(self) -> dict:
        """Members in office (with a vote), present, the quorum needed and whether it is met."""
        in_office = self.seats_in_office().count()
        present = self.attendances.filter(present=True, seat__votes__gt=0).count()
        needed = quorum_needed(in_office)
        return {
            "in_office": in_office,
            "present": present,
            "proxies": self.attendances.filter(proxy_holder__isnull=False).count(),
            "needed": needed,
            "met": self.second_convocation or (in_office > 0 and present >= needed),
        }


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(_("rang"))
    title = models.CharField(_("question"), max_length=300)

    class Meta:
        verbose_name = _("question à l'ordre du jour")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="agenda_unique_position")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class MeetingDocument(TimeStampedModel):
    """A document sent with the convocation (note de synthèse, projet de délibération)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("titre"), max_length=200)
    document = models.FileField(_("document"), upload_to="meetings/%Y/")

    class Meta:
        verbose_name = _("document de séance")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class Convocation(Job):
    """The e-mails convening a meeting, sent in the background; what was sent is recorded."""

    task_path = "mutualis.governance.tasks.send_convocation"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="convocations")
    sent_on = models.DateField(_("envoyée le"))
    notice_days = models.PositiveSmallIntegerField(_("délai requis (jours francs)"))
    clear_days = models.PositiveSmallIntegerField(_("jours francs avant la séance"))
    recipients = models.TextField(_("destinataires"), blank=True)
    documents = models.ManyToManyField(MeetingDocument, related_name="convocations", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("convocation")
        ordering = ["-sent_on", "-pk"]

    def __str__(self) -> str:
        return f"Convocation {self.meeting} ({self.sent_on:%d/%m/%Y})"

    @property
    def in_time(self) -> bool:
        return self.clear_days >= self.notice_days


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    seat = models.ForeignKey(BodyMember, on_delete=models.PROTECT, related_name="attendances")
    present = models.BooleanField(_("présent"), default=False)
    proxy_holder = models.ForeignKey(
        BodyMember,
        verbose_name=_("pouvoir donné à"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proxies_held",
    )

    class Meta:
        verbose_name = _("présence")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "seat"], name="attendance_unique_seat"),
            models.CheckConstraint(
                condition=Q(present=False) | Q(proxy_holder__isnull=True),
                name="attendance_present_gives_no_proxy",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seat} — {self.meeting}"


class Deliberation(TimeStampedModel):
    """An entry of the register: one délibération of the operator's bodies."""

    decision = models.OneToOneField(
        Decision, on_delete=models.PROTECT, related_name="deliberation", editable=False
    )
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="deliberations")
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("séance"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliberations",
    )
    matiere = models.CharField(
        _("matière (nomenclature ACTES)"), max_length=5, choices=MATIERE_CHOICES, blank=True
    )
    effectif = models.PositiveSmallIntegerField(_("membres en exercice"), null=True, blank=True)
    present = models.PositiveSmallIntegerField(_("présents"), null=True, blank=True)
    proxies = models.PositiveSmallIntegerField(_("représentés (pouvoirs)"), null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("pour"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("contre"), null=True, blank=True)
    abstentions = models.PositiveSmallIntegerField(_("abstentions"), null=True, blank=True)
    budget_year = models.CharField(_("année du budget"), max_length=9, blank=True)
    budget_name = models.CharField(_("budget"), max_length=200, blank=True)
    prefecture_id = models.CharField(_("contrôle de légalité"), max_length=9, blank=True)
    transmitted_on = models.DateField(
        _("transmise au contrôle de légalité le"), null=True, blank=True
    )
    signed_document = models.FileField(
        _("délibération signée"), upload_to="deliberations/%Y/", blank=True
    )
    memberships = models.ManyToManyField(
        Membership,
        verbose_name=_("adhésions admises ou terminées"),
        related_name="operator_deliberations",
        blank=True,
    )
    migrated = models.BooleanField(
        _("reprise d'une délibération existante"), default=False, editable=False
    )

    class Meta:
        verbose_name = _("délibération du registre")
        verbose_name_plural = _("registre des délibérations")
        ordering = ["-decision__date", "-pk"]

    def __str__(self) -> str:
        return str(self.decision)

    @property
    def has_vote(self) -> bool:
        return self.votes_for is not None

    @property
    def voters(self) -> int | None:
        if self.present is None:
            return None
        return self.present + (self.proxies or 0)
