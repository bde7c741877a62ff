from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mutualis.billing.models import (
    AllocationRun,
    InvoiceKind,
    OperatorIdentity,
    PesMode,
    RunStatus,
    Tariff,
)
from mutualis.billing.services import identity
from mutualis.billing.services.identity import SNAPSHOT_FIELDS
from mutualis.billing.services.invoices import future_date_message
from mutualis.catalog.models import Service
from mutualis.core.forms import DateField, DecimalField, IntegerField
from mutualis.members.models import Decision


def _not_in_future(day) -> None:
    message = future_date_message(day) if day else None
    if message:
        raise forms.ValidationError(message, code="future")


def _issue_date_field(**kwargs) -> DateField:
    """The date of a titre or a correction: today by default, never in the future."""
    return DateField(
        label=_("Date d'émission"),
        initial=timezone.localdate,
        validators=[_not_in_future],
        **kwargs,
    )


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
    issued_on = _issue_date_field()
    due_on = DateField(
        label=_("À payer avant le"),
        required=False,
        help_text=_("Vide : 30 jours après l'émission."),
    )


class DepositForm(forms.Form):
    deposited_on = DateField(
        label=_("Déposé sur Hélios le"), initial=timezone.localdate, validators=[_not_in_future]
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
    issued_on = _issue_date_field()

    def amount_cents(self) -> int | None:
        amount = self.cleaned_data.get("amount")
        return None if amount is None else int(amount * 100)


class RunCorrectionForm(forms.Form):
    """Validating a run as the correction of the validated run of its year."""

    issued_on = _issue_date_field(
        help_text=_("La date des titres complémentaires et des réductions ; jamais dans le futur.")
    )
    reason = forms.CharField(
        label=_("Motif"),
        max_length=300,
        help_text=_("Repris sur chaque titre complémentaire et chaque réduction."),
    )
    decision = forms.ModelChoiceField(
        label=_("Délibération qui fonde la correction"),
        queryset=Decision.objects.filter(member__isnull=True).order_by("-date", "-pk"),
        required=False,
        help_text=_(
            "Par défaut, la délibération d'adoption du tarif qui a changé. Ou saisissez-en une "
            "nouvelle ci-dessous."
        ),
    )
    decision_number = forms.CharField(
        label=_("…ou numéro d'une autre délibération"), max_length=50, required=False
    )
    decision_date = DateField(label=_("Date de cette délibération"), required=False)

    def clean(self):
        data = super().clean()
        number, date = data.get("decision_number", "").strip(), data.get("decision_date")
        if (number or date) and data.get("decision"):
            raise forms.ValidationError(
                _("Choisissez une délibération ou saisissez-en une nouvelle, pas les deux.")
            )
        if number and not date:
            self.add_error("decision_date", _("Indiquez la date de la délibération."))
        if date and not number:
            self.add_error("decision_number", _("Indiquez le numéro de la délibération."))
        return data

    def vote(self) -> dict | None:
        """The new délibération typed in, if any (body, number, date)."""
        number = self.cleaned_data.get("decision_number", "").strip()
        if not number:
            return None
        return {"number": number, "date": self.cleaned_data["decision_date"]}


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


# What the page edits: what a titre keeps of the identity, and the PES mode.
IDENTITY_FIELDS = [*SNAPSHOT_FIELDS, "pes_mode"]


class OperatorIdentityForm(forms.ModelForm):
    """The operator as creditor: identity, ordonnateur, comptable public, PES codes."""

    logo_file = forms.FileField(
        label=_("Logo (PNG ou JPEG, 500 Ko au plus)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(label=_("Retirer le logo"), required=False)

    class Meta:
        model = OperatorIdentity
        fields = IDENTITY_FIELDS
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "accountant_address": forms.Textarea(attrs={"rows": 3}),
            "pes_mode": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pes_mode"].required = False  # unchanged when the form leaves it out

    def clean_pes_mode(self):
        return self.cleaned_data.get("pes_mode") or self.instance.pes_mode or PesMode.ORDINARY

    def clean_siret(self):
        return identity.clean_siret(self.cleaned_data["siret"])

    def clean_iban(self):
        return identity.clean_iban(self.cleaned_data["iban"])

    def clean_bic(self):
        return identity.clean_bic(self.cleaned_data["bic"])

    def clean_logo_file(self):
        upload = self.cleaned_data.get("logo_file")
        if not upload:
            return None
        if upload.size > identity.LOGO_MAX_BYTES:
            raise forms.ValidationError(_("Le logo pèse plus de 500 Ko."))
        return identity.clean_logo(upload.read())

    def clean(self):
        data = super().clean()
        try:
            return identity.clean_codes(data)
        except forms.ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field, messages)
        return data

    def service_arguments(self) -> dict:
        data = {field: self.cleaned_data[field] for field in IDENTITY_FIELDS}
        data["logo"] = self.cleaned_data.get("logo_file")
        data["remove_logo"] = self.cleaned_data.get("remove_logo", False)
        return data
