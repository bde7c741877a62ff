from django import forms
from django.utils.translation import gettext_lazy as _

from mutualis.alerts.models import MonitoringConsent
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
