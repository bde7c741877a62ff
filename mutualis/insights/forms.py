from django import forms
from django.utils.translation import gettext_lazy as _

from mutualis.core.forms import DecimalField, IntegerField


class SavingsReferenceForm(forms.Form):
    staff_day_cost = DecimalField(
        max_digits=9,
        decimal_places=2,
        min_value=0,
        label=_("Coût d'une journée de technicien recruté seul (€)"),
        help_text=_(
            "Salaire chargé, outils, formation et recrutement d'un technicien à temps partiel, "
            "divisés par ses jours travaillés. 0 : pas d'économie comptée sur le personnel."
        ),
    )
    staff_day_cost_source = forms.CharField(
        label=_("Source de ce coût"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReportBatchForm(forms.Form):
    year = IntegerField(label=_("Année"), min_value=2000, max_value=2100, max_digits=4)
