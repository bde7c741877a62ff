import datetime as dt

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mutualis.core.forms import DateField, IntegerField, ModelForm
from mutualis.governance.models import (
    MATIERE_CHOICES,
    Body,
    BodyMember,
    Deliberation,
    Meeting,
)
from mutualis.members.forms import PdfField
from mutualis.members.models import Membership

COUNT = {"min_value": 0, "max_value": 999, "required": False}


class BodyForm(ModelForm):
    class Meta:
        model = Body
        fields = ["kind", "name", "notice_days"]


class SeatForm(ModelForm):
    class Meta:
        model = BodyMember
        fields = ["name", "email", "represents", "role", "votes", "start_date", "end_date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["represents"].queryset = self.fields["represents"].queryset.order_by("name")


class MeetingForm(forms.Form):
    date = DateField(label=_("Date"))
    time = forms.TimeField(
        label=_("Heure"), required=False, widget=forms.TimeInput({"type": "time"})
    )
    place = forms.CharField(label=_("Lieu"), max_length=200, required=False)
    agenda = forms.CharField(
        label=_("Ordre du jour"),
        widget=forms.Textarea({"rows": 6}),
        max_length=10_000,
        help_text=_("Une question par ligne."),
    )
    second_convocation = forms.BooleanField(
        label=_("Seconde convocation (faute de quorum à la première)"), required=False
    )

    def clean_agenda(self):
        return [line.strip() for line in self.cleaned_data["agenda"].splitlines() if line.strip()]


class MeetingDocumentForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    document = PdfField(label=_("Document (PDF)"))


class AttendanceForm(forms.Form):
    """One checkbox per seat in office, and for each absent member whom they gave a proxy to."""

    def __init__(self, *args, seats, initial_present=(), initial_proxies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.seats = list(seats)
        choices = [("", _("—"))] + [(str(s.pk), s.name) for s in self.seats]
        initial_proxies = initial_proxies or {}
        for seat in self.seats:
            self.fields[f"present_{seat.pk}"] = forms.BooleanField(
                label=_("%(name)s présent(e)") % {"name": seat.name},
                required=False,
                initial=seat.pk in initial_present,
            )
            self.fields[f"proxy_{seat.pk}"] = forms.ChoiceField(
                label=_("Pouvoir de %(name)s donné à") % {"name": seat.name},
                choices=choices,
                required=False,
                initial=str(initial_proxies.get(seat.pk, "")),
            )

    def rows(self):
        return [(seat, self[f"present_{seat.pk}"], self[f"proxy_{seat.pk}"]) for seat in self.seats]

    def result(self) -> tuple[set[int], dict[int, int]]:
        data = self.cleaned_data
        present = {seat.pk for seat in self.seats if data.get(f"present_{seat.pk}")}
        proxies = {
            seat.pk: int(data[f"proxy_{seat.pk}"])
            for seat in self.seats
            if data.get(f"proxy_{seat.pk}")
        }
        return present, proxies


class DeliberationForm(forms.Form):
    body = forms.ModelChoiceField(label=_("Instance"), queryset=Body.objects.none())
    meeting = forms.ModelChoiceField(
        label=_("Séance"), queryset=Meeting.objects.none(), required=False
    )
    number = forms.CharField(
        label=_("Numéro"),
        max_length=50,
        required=False,
        help_text=_("Vide : le suivant de l'année."),
    )
    date = DateField(label=_("Date"))
    subject = forms.CharField(label=_("Objet"), max_length=300)
    matiere = forms.ChoiceField(
        label=_("Matière (nomenclature ACTES)"), choices=[("", "—"), *MATIERE_CHOICES]
    )
    effectif = IntegerField(label=_("Membres en exercice"), **COUNT)
    present = IntegerField(label=_("Présents"), **COUNT)
    proxies = IntegerField(label=_("Représentés (pouvoirs)"), **COUNT)
    votes_for = IntegerField(label=_("Pour"), **COUNT)
    votes_against = IntegerField(label=_("Contre"), **COUNT)
    abstentions = IntegerField(label=_("Abstentions"), **COUNT)
    budget_year = forms.RegexField(
        label=_("Année du budget"),
        regex=r"^[0-9]{4}(/[0-9]{4})?$",
        required=False,
        help_text=_("AAAA ou AAAA/AAAA, si la décision a un effet budgétaire."),
    )
    budget_name = forms.CharField(label=_("Budget"), max_length=200, required=False)
    memberships = forms.ModelMultipleChoiceField(
        label=_("Adhésions admises ou terminées"),
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    signed_document = PdfField(label=_("Délibération signée (PDF)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.order_by("name")
        self.fields["meeting"].queryset = Meeting.objects.select_related("body").order_by("-date")
        # The adhésions of the last two years not yet admitted or ended by a délibération.
        since = timezone.localdate() - dt.timedelta(days=730)
        self.fields["memberships"].queryset = (
            Membership.objects.select_related("member")
            .filter(operator_deliberations__isnull=True)
            .filter(Q(start_date__gte=since) | Q(end_date__gte=since))
            .order_by("-start_date", "member__name")
        )


class DeliberationUpdateForm(ModelForm):
    signed_document = PdfField(label=_("Délibération signée (PDF)"), required=False)

    class Meta:
        model = Deliberation
        fields = [
            "meeting",
            "matiere",
            "effectif",
            "present",
            "proxies",
            "votes_for",
            "votes_against",
            "abstentions",
            "budget_year",
            "budget_name",
            "prefecture_id",
            "transmitted_on",
        ]


class RegisterFilterForm(forms.Form):
    year = IntegerField(label=_("Année"), min_value=1900, max_value=2100, required=False)
    body = forms.ModelChoiceField(label=_("Instance"), queryset=Body.objects.none(), required=False)
    q = forms.CharField(label=_("Rechercher"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.order_by("name")
