from django import forms
from django.utils.translation import gettext_lazy as _

from mutualis.catalog.models import (
    OwnRebillKey,
    RebillKey,
    Service,
    ServiceStatus,
    SubscriptionScope,
    UsageKind,
    YearlyReading,
)
from mutualis.core.forms import DateField, DecimalField, ModelForm
from mutualis.members.models import Member, MemberKind
from mutualis.members.size import SizeClass


class ServiceForm(ModelForm):
    eligible_kinds = forms.MultipleChoiceField(
        label=_("Types de membres pouvant souscrire"),
        choices=MemberKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Aucun coché : tous les types de membres."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.subscriptions.exists():
            # Imports name the service by its code, and usage is counted in its unit.
            for name in ("code", "unit"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "Non modifiable : des membres souscrivent à ce service."
                )

    def clean(self):
        data = super().clean()
        if (
            data.get("usage_kind") == UsageKind.STOCK
            and data.get("yearly_reading") == YearlyReading.SUM
        ):
            self.add_error(
                "yearly_reading",
                _(
                    "Un stock ne s'additionne pas d'un mois à l'autre : choisissez le dernier "
                    "relevé, la moyenne ou le plus haut."
                ),
            )
        return data

    class Meta:
        model = Service
        fields = [
            "code",
            "name",
            "description",
            "category",
            "unit",
            "usage_kind",
            "yearly_reading",
            "eligible_kinds",
            "status",
        ]


class ServiceRequestForm(forms.Form):
    desired_start_date = DateField(label=_("Date de début souhaitée"))
    scope = forms.ChoiceField(
        label=_("Périmètre"), choices=SubscriptionScope.choices, initial=SubscriptionScope.SELF
    )
    message = forms.CharField(
        label=_("Message à l'opérateur"), required=False, widget=forms.Textarea
    )

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        if member.kind == MemberKind.EPCI:
            self.fields["scope"].choices = [
                (SubscriptionScope.SELF, SubscriptionScope.SELF.label),
                (SubscriptionScope.WITH_COMMUNES, SubscriptionScope.WITH_COMMUNES.label),
            ]
        else:
            del self.fields["scope"]


class RequestDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[("approve", _("Accepter")), ("refuse", _("Refuser"))],
        widget=forms.RadioSelect,
    )
    start_date = DateField(
        label=_("Début de la souscription"),
        required=False,
        help_text=_("Par défaut, la date souhaitée par le membre."),
    )
    reason = forms.CharField(
        label=_("Motif (obligatoire en cas de refus)"), required=False, widget=forms.Textarea
    )


class SubscriptionForm(forms.Form):
    service = forms.ModelChoiceField(label=_("Service"), queryset=Service.objects.none())
    start_date = DateField(label=_("Début"))
    scope = forms.ChoiceField(
        label=_("Périmètre"), choices=SubscriptionScope.choices, initial=SubscriptionScope.SELF
    )
    covered_establishments = forms.ModelMultipleChoiceField(
        label=_("Établissements couverts"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Seulement avec le périmètre « établissements choisis »."),
    )
    rebill_key = forms.ChoiceField(
        label=_("Refacturation aux communes"),
        choices=[("", _("Aucune : l'EPCI garde la charge")), *RebillKey.choices],
        required=False,
    )
    rebill_own_key = forms.ChoiceField(
        label=_("Refacturation de la participation propre de l'EPCI"),
        choices=[("", _("Aucune : l'EPCI garde sa participation")), *OwnRebillKey.choices],
        required=False,
    )

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.filter(
            status=ServiceStatus.OFFERED
        ).order_by("name")
        if member.kind == MemberKind.EPCI and member.epci_id:
            self.fields["covered_establishments"].queryset = Member.objects.filter(
                epci_id=member.epci_id, kind=MemberKind.ESTABLISHMENT
            ).order_by("name")
        else:
            self.fields["scope"].choices = [(SubscriptionScope.SELF, SubscriptionScope.SELF.label)]
            del self.fields["covered_establishments"]
            del self.fields["rebill_key"]
            del self.fields["rebill_own_key"]


class SubscriptionEndForm(forms.Form):
    end_date = DateField(label=_("Date de fin"))


class QuantityEstimateForm(forms.Form):
    """The yearly quantity an agent expects for a service it does not use yet (read from the
    catalogue's GET query: nothing is written)."""

    quantity = DecimalField(
        max_digits=12, decimal_places=3, min_value=0, required=True, label=_("Votre estimation")
    )

    def __init__(self, *args, service: Service, **kwargs):
        super().__init__(*args, prefix=f"s{service.pk}", **kwargs)
        self.fields["quantity"].label = _("Votre estimation (%(unit)s par an)") % {
            "unit": service.get_unit_display()
        }


class ReferencePriceForm(forms.Form):
    """A « prix seul »: what a collectivité of this size pays per year for the service alone."""

    size_class = forms.ChoiceField(label=_("Taille de la collectivité"), choices=SizeClass.choices)
    yearly_price = DecimalField(
        max_digits=11, decimal_places=2, min_value=0, label=_("Prix seul par an (€)")
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Devis, marché d'une collectivité comparable, étude… montrée aux élus."),
    )
