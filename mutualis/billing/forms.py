from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mutualis.billing.models import AllocationRun, InvoiceKind, RunStatus, Tariff
from mutualis.catalog.models import Service
from mutualis.core.forms import DateField, DecimalField, IntegerField


def _year_field(**kwargs) -> IntegerField:
    return IntegerField(label=_("Année"), min_value=2000, max_value=2100, **kwargs)


class TariffForm(forms.Form):
    service = forms.ModelChoiceField(label=_("Service"), queryset=Service.objects.order_by("name"))
    year = _year_field()
    text = forms.CharField(
        label=_("Tarif (format TOML)"),
        widget=forms.Textarea(attrs={"rows": 22, "spellcheck": "false", "class": "code"}),
        help_text=_("Le format est décrit dans le guide des tarifs (docs/tariffs.md)."),
    )
    note = forms.CharField(label=_("Commentaire"), max_length=300, required=False)


class TariffEditForm(forms.Form):
    text = TariffForm.base_fields["text"]
    note = TariffForm.base_fields["note"]


class TariffAdoptForm(forms.Form):
    body = forms.CharField(label=_("Instance"), initial=_("Comité syndical"), max_length=200)
    number = forms.CharField(label=_("Numéro de la délibération"), max_length=50)
    date = DateField(label=_("Date du vote"))


class RunForm(forms.Form):
    year = _year_field(initial=lambda: timezone.localdate().year)


class IssueForm(forms.Form):
    issued_on = DateField(
        label=_("Date d'émission"),
        initial=timezone.localdate,
    )
    due_on = DateField(
        label=_("À payer avant le"),
        required=False,
        help_text=_("Vide : 30 jours après l'émission."),
    )


class CorrectionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Nature"),
        choices=[
            (InvoiceKind.REDUCTION, _("Réduction")),
            (InvoiceKind.CANCELLATION, _("Annulation")),
        ],
    )
    amount = DecimalField(
        label=_("Montant de la réduction (€)"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text=_("Pour une annulation, le reste dû est annulé."),
    )
    reason = forms.CharField(label=_("Motif"), max_length=300)
    issued_on = DateField(
        label=_("Date d'émission"),
        initial=timezone.localdate,
    )

    def amount_cents(self) -> int | None:
        amount = self.cleaned_data.get("amount")
        return None if amount is None else int(amount * 100)


class SimulationForm(forms.Form):
    candidate = forms.ModelChoiceField(
        label=_("Projet de tarif"),
        queryset=Tariff.objects.select_related("service").order_by(
            "service__name", "-year", "-version"
        ),
    )
    base = forms.ModelChoiceField(
        label=_("Comparé au tarif"),
        queryset=Tariff.objects.select_related("service").order_by(
            "service__name", "-year", "-version"
        ),
        required=False,
    )
    base_run = forms.ModelChoiceField(
        label=_("…ou aux montants du calcul"),
        queryset=AllocationRun.objects.filter(
            status__in=[RunStatus.COMPUTED, RunStatus.VALIDATED]
        ).defer("members_snapshot", "subscriptions_snapshot", "usage_snapshot"),
        required=False,
    )
    year = _year_field(
        required=False, help_text=_("Consommations de cette année ; vide : l'année du projet.")
    )

    def clean(self):
        data = super().clean()
        if data.get("base") is None and data.get("base_run") is None:
            raise forms.ValidationError(_("Choisissez un tarif ou un calcul de référence."))
        if data.get("base") is not None and data.get("base_run") is not None:
            raise forms.ValidationError(_("Choisissez un tarif ou un calcul, pas les deux."))
        base = data.get("base")
        candidate = data.get("candidate")
        if base and candidate and base.service_id != candidate.service_id:
            self.add_error("base", _("Les deux tarifs doivent porter sur le même service."))
        return data


class InvoiceFilterForm(forms.Form):
    year = _year_field(required=False)
