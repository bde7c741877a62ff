import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from mutualis.core.forms import DateField, IntegerField, ModelForm, SearchableModelChoiceField
from mutualis.members.models import Decision, Member, MemberKind
from mutualis.staffing import calendar as cal
from mutualis.staffing.models import (
    Absence,
    ContestResolution,
    Frequency,
    Half,
    StaffingAgreement,
    TaskCategory,
    Technician,
    Weekday,
)
from mutualis.staffing.selectors import PlanningRow


def quarter_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    first_month = 3 * ((day.month - 1) // 3) + 1
    return dt.date(day.year, first_month, 1), cal.month_bounds(day.year, first_month + 2)[1]


class PlanningRowForm(forms.Form):
    """A line of the planning grid; a line without a weekday is left out."""

    agreement = forms.ModelChoiceField(
        label=_("Membre (convention)"), queryset=StaffingAgreement.objects.none(), required=False
    )
    technician = forms.ModelChoiceField(
        label=_("Technicien"), queryset=Technician.objects.none(), required=False
    )
    weekday = forms.TypedChoiceField(
        label=_("Jour"),
        choices=[("", "—"), *Weekday.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    frequency = forms.ChoiceField(
        label=_("Fréquence"), choices=Frequency.choices, initial=Frequency.WEEKLY
    )
    half = forms.ChoiceField(label=_("Durée"), choices=Half.choices, initial=Half.FULL)
    start = DateField(label=_("Du"), required=False)
    end = DateField(label=_("Au"), required=False)

    def __init__(self, *args, choices, row_number=0, **kwargs):
        super().__init__(*args, **kwargs)
        # Choices are computed once per grid, not once per line.
        for name in ("agreement", "technician"):
            self.fields[name].queryset = choices[name][0]
            self.fields[name].choices = choices[name][1]
        for bound in self.fields.values():
            bound.widget.attrs["aria-label"] = f"{bound.label} — ligne {row_number}"

    def clean(self):
        data = super().clean()
        if data.get("weekday") is None:
            return data
        for name in ("agreement", "technician", "start", "end"):
            if not data.get(name):
                self.add_error(name, _("Champ obligatoire pour une ligne avec un jour."))
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("La fin précède le début."))
        agreement = data.get("agreement")
        outside = agreement and (
            (data.get("start") and data["start"] < agreement.start_date)
            or (agreement.end_date and data.get("end") and data["end"] > agreement.end_date)
        )
        if outside:
            self.add_error("start", _("Les dates sortent de la convention."))
        return data

    def row(self) -> PlanningRow | None:
        data = self.cleaned_data
        if data.get("weekday") is None:
            return None
        return PlanningRow(
            agreement=data["agreement"],
            technician=data["technician"],
            weekday=data["weekday"],
            frequency=data["frequency"],
            half=data["half"],
            start=data["start"],
            end=data["end"],
        )


class BasePlanningFormSet(forms.BaseFormSet):
    def __init__(self, *args, agreements, technicians, **kwargs):
        blank = [("", "—")]
        self.choices = {
            "agreement": (
                agreements,
                blank + [(a.pk, f"{a.member.name} ({a.reference})") for a in agreements],
            ),
            "technician": (technicians, blank + [(t.pk, str(t)) for t in technicians]),
        }
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"choices": self.choices, "row_number": (index or 0) + 1}

    def rows(self) -> list[PlanningRow]:
        return [row for form in self.forms if (row := form.row()) is not None]


PlanningFormSet = forms.formset_factory(
    PlanningRowForm, formset=BasePlanningFormSet, extra=0, max_num=200, absolute_max=200
)


class PeriodForm(forms.Form):
    start = DateField(label=_("Du"))
    end = DateField(label=_("Au"))


class StaffingAgreementForm(ModelForm):
    member = SearchableModelChoiceField(
        label=_("Membre"),
        queryset=Member.objects.filter(kind__in=[MemberKind.EPCI, MemberKind.COMMUNE]).order_by(
            "kind", "name"
        ),
    )

    class Meta:
        model = StaffingAgreement
        fields = [
            "member",
            "reference",
            "service",
            "decision",
            "days",
            "per",
            "start_date",
            "end_date",
            "billing_basis",
            "technicians",
        ]
        widgets = {"technicians": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = Decision.objects.select_related("member").order_by(
            "-date"
        )[:300]
        self.fields["technicians"].queryset = Technician.objects.filter(active=True).select_related(
            "user"
        )


class PlannedDayForm(forms.Form):
    agreement = forms.ModelChoiceField(label=_("Membre (convention)"), queryset=None)
    technician = forms.ModelChoiceField(label=_("Technicien"), queryset=None)
    date = DateField(label=_("Date"))
    half = forms.ChoiceField(label=_("Durée"), choices=Half.choices, initial=Half.FULL)
    note = forms.CharField(label=_("Objet"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = StaffingAgreement.objects.select_related(
            "member"
        ).order_by("member__name", "pk")
        self.fields["agreement"].label_from_instance = lambda a: f"{a.member.name} ({a.reference})"
        self.fields["technician"].queryset = Technician.objects.select_related("user")


class AbsenceForm(ModelForm):
    class Meta:
        model = Absence
        fields = ["technician", "kind", "start_date", "end_date", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["technician"].queryset = Technician.objects.select_related("user")


class WorkLogForm(forms.Form):
    technician = forms.ModelChoiceField(label=_("Technicien"), queryset=None)
    member = forms.ModelChoiceField(label=_("Membre"), queryset=None)
    date = DateField(label=_("Date"))
    half = forms.ChoiceField(label=_("Durée"), choices=Half.choices, initial=Half.FULL)
    category = forms.ChoiceField(label=_("Catégorie"), choices=TaskCategory.choices)
    tasks = forms.CharField(label=_("Travaux réalisés"), widget=forms.Textarea)
    support_reference = forms.CharField(
        label=_("Demande d'assistance liée (référence)"), max_length=100, required=False
    )
    confirm_unusual_day = forms.BooleanField(
        label=_("Jour férié ou non travaillé : confirmer"),
        required=False,
        help_text=_(
            "À cocher pour saisir une journée un jour férié, un week-end ou un jour que le "
            "technicien ne travaille pas : la journée sera signalée dans les calendriers."
        ),
    )

    def __init__(self, *args, technicians, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["technician"].queryset = technicians
        self.fields["member"].queryset = Member.objects.filter(
            pk__in=StaffingAgreement.objects.values("member")
        ).order_by("name")


class ContestForm(forms.Form):
    reason = forms.CharField(label=_("Motif de la contestation"), max_length=300)


class ContestResolutionForm(forms.Form):
    """The operator's decision on a contested day, with the reason the member will read."""

    resolution = forms.ChoiceField(
        label=_("Suite donnée"), choices=ContestResolution.choices, widget=forms.RadioSelect
    )
    half = forms.ChoiceField(
        label=_("Durée corrigée (si la journée est corrigée)"),
        choices=[("", "—"), *Half.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Motif de la décision (lu par le membre)"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MonthForm(forms.Form):
    year = IntegerField(label=_("Année"), min_value=2000, max_value=2100)
    month = IntegerField(label=_("Mois"), min_value=1, max_value=12)
