from django import forms
from django.utils.translation import gettext_lazy as _

from mutualis.alerts.models import HeatingProfile, HolidayZone, MonitoringConsent, SchoolHoliday
from mutualis.core.forms import ModelForm
from mutualis.iot.models import Quantity, Sensor, SensorKind


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ResolveForm(forms.Form):
    note = forms.CharField(label=_("Ce qui a été fait"), max_length=500)


class ConsentForm(ModelForm):
    class Meta:
        model = MonitoringConsent
        fields = [
            "sensor",
            "person",
            "given_by",
            "given_on",
            "purpose",
            "contacts",
            "retention_days",
        ]
        widgets = {"contacts": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sensor"].queryset = Sensor.objects.filter(
            member=member, kind=SensorKind.WATER_METER, measures__quantity=Quantity.WATER_VOLUME
        ).distinct()


WEEKDAYS = [
    ("0", _("lundi")),
    ("1", _("mardi")),
    ("2", _("mercredi")),
    ("3", _("jeudi")),
    ("4", _("vendredi")),
    ("5", _("samedi")),
    ("6", _("dimanche")),
]


class SchoolHolidayForm(ModelForm):
    class Meta:
        model = SchoolHoliday
        fields = ["zone", "name", "starts_on", "ends_on"]
        help_texts = {
            "starts_on": _("Le premier jour sans classe (souvent un samedi)."),
            "ends_on": _("Le dernier jour sans classe : la veille de la reprise des cours."),
        }


class EnergyMeterChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.member.name} — {obj.name}"


class HeatingProfileForm(ModelForm):
    weekdays = forms.MultipleChoiceField(
        label=_("Jours d'occupation"),
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Les jours où le bâtiment est occupé, donc chauffé."),
    )

    class Meta:
        model = HeatingProfile
        fields = [
            "sensor",
            "station",
            "weekdays",
            "holiday_zone",
            "closed_on_public_holidays",
            "active",
        ]
        field_classes = {"sensor": EnergyMeterChoice}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sensor"].queryset = (
            Sensor.objects.filter(kind=SensorKind.ENERGY_METER)
            .select_related("member")
            .order_by("member__name", "name")
        )
        self.fields["holiday_zone"].choices = [
            ("", _("aucune : ouvert pendant les vacances")),
            *HolidayZone.choices,
        ]
        if self.instance.pk:
            self.initial["weekdays"] = list(self.instance.weekdays)
        else:
            self.initial.setdefault("weekdays", list("01234"))

    def clean_weekdays(self):
        return "".join(sorted(set(self.cleaned_data["weekdays"])))
