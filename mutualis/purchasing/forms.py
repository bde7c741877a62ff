"""Forms of grouped purchasing: pages post these, services do the writes."""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, Value, When
from django.utils.translation import gettext_lazy as _

from mutualis.catalog.models import Service, Unit
from mutualis.core.forms import (
    DateField,
    DecimalField,
    IntegerField,
    ModelForm,
    validate_document_size,
)
from mutualis.core.numbers import DecimalBounds, InputError, parse_decimal
from mutualis.members.models import Member, MemberKind
from mutualis.purchasing.models import Campaign, InvitationMode, Lot
from mutualis.purchasing.services.campaigns import CAMPAIGN_FIELDS
from mutualis.purchasing.siren import validate_siren_key


class CampaignForm(ModelForm):
    class Meta:
        model = Campaign
        fields = list(CAMPAIGN_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fee_service"].queryset = Service.objects.filter(
            unit__in=[Unit.EURO, Unit.FLAT]
        ).order_by("name")
        self.fields["agreement_document"].validators.append(validate_document_size)


class LotForm(ModelForm):
    class Meta:
        model = Lot
        fields = ["name", "unit", "description", "max_quantity", "reference_unit_price"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class InvitationForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Inviter"), choices=InvitationMode.choices, widget=forms.RadioSelect
    )
    kind = forms.ChoiceField(
        label=_("Type de membres"), choices=[("", "—"), *MemberKind.choices], required=False
    )
    epci = forms.ModelChoiceField(
        label=_("EPCI (avec ses communes)"),
        queryset=Member.objects.filter(kind=MemberKind.EPCI).order_by("name"),
        required=False,
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Membres choisis"),
        queryset=Member.objects.filter(memberships__isnull=False).distinct().order_by("name"),
        required=False,
        help_text=_("Ctrl ou Cmd + clic pour en choisir plusieurs."),
    )


class NeedsForm(forms.Form):
    """One form for all the lots of a campaign: a quantity and a current price per lot."""

    def __init__(self, *args, lots, needs=None, previous_prices=None, **kwargs):
        super().__init__(*args, **kwargs)
        needs = needs or {}
        previous_prices = previous_prices or {}
        self.lots = list(lots)
        for lot in self.lots:
            need = needs.get(lot.pk)
            self.fields[f"quantity_{lot.pk}"] = DecimalField(
                label=_("Quantité annuelle (%(unit)s) — lot %(lot)s")
                % {"unit": lot.unit, "lot": lot},
                min_value=0,
                max_digits=14,
                decimal_places=2,
                required=False,
                initial=need.quantity if need else None,
            )
            self.fields[f"price_{lot.pk}"] = DecimalField(
                label=_("Prix unitaire actuel en € HT — lot %(lot)s") % {"lot": lot},
                min_value=0,
                max_digits=12,
                decimal_places=4,
                required=False,
                initial=need.current_unit_price if need else previous_prices.get(lot.pk),
            )

    def rows(self):
        return [(lot, self[f"quantity_{lot.pk}"], self[f"price_{lot.pk}"]) for lot in self.lots]

    def entries(self):
        from mutualis.purchasing.services.needs import NeedEntry

        return [
            NeedEntry(
                lot=lot,
                quantity=self.cleaned_data.get(f"quantity_{lot.pk}"),
                current_unit_price=self.cleaned_data.get(f"price_{lot.pk}"),
            )
            for lot in self.lots
        ]


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Critère"), max_length=100)
    weight = IntegerField(label=_("Poids"), min_value=1, max_value=1000)


TIER_LINE = re.compile(r"^\s*([^;:]+?)\s*[;:]\s*(.+?)\s*$")


# What a tier holds (OfferTier): a minimum quantity above zero, and a unit price.
TIER_THRESHOLD = DecimalBounds(14, 2, min_value=Decimal("0.01"))
TIER_PRICE = DecimalBounds(12, 4, min_value=Decimal(0))


def parse_tiers(text: str) -> list[tuple[Decimal, Decimal]]:
    tiers = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = TIER_LINE.match(line)
        if match is None:
            raise ValidationError(
                _("Ligne %(n)s : écrivez « quantité minimale ; prix unitaire ».") % {"n": number}
            )
        try:
            threshold = parse_decimal(match.group(1), TIER_THRESHOLD)
            price = parse_decimal(match.group(2), TIER_PRICE)
        except InputError as refused:
            raise ValidationError(
                _("Ligne %(n)s : %(reason)s") % {"n": number, "reason": refused.message}
            ) from refused
        tiers.append((threshold, price))
    return tiers


class OfferForm(forms.Form):
    supplier_name = forms.CharField(label=_("Fournisseur (raison sociale)"), max_length=200)
    supplier_siren = forms.RegexField(
        label=_("SIREN du fournisseur"),
        regex=r"^\d{9}$",
        error_messages={"invalid": _("Un SIREN a 9 chiffres.")},
        validators=[validate_siren_key],
    )
    unit_price = DecimalField(
        label=_("Prix unitaire de base en € HT"), min_value=0, max_digits=12, decimal_places=4
    )
    tiers = forms.CharField(
        label=_("Paliers de prix (facultatif)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Un palier par ligne : « quantité minimale ; prix unitaire », par exemple "
            "« 1000 ; 0,45 ». Le palier est choisi sur la quantité totale du groupement."
        ),
    )
    received_on = DateField(label=_("Reçue le"), required=False)
    note = forms.CharField(label=_("Commentaire"), required=False, max_length=300)

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = DecimalField(
                label=_("Note « %(name)s » sur 10") % {"name": criterion.name},
                min_value=0,
                max_value=10,
                max_digits=5,
                decimal_places=2,
                required=False,
            )

    def clean_tiers(self):
        return parse_tiers(self.cleaned_data["tiers"])

    def scores(self):
        return {c: self.cleaned_data.get(f"score_{c.pk}") for c in self.criteria}


class AwardForm(forms.Form):
    offer = forms.ModelChoiceField(label=_("Offre retenue"), queryset=None, empty_label=None)
    justification = forms.CharField(
        label=_("Justification du choix"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Obligatoire si l'offre retenue n'est pas la mieux classée."),
    )
    decision_body = forms.CharField(
        label=_("Instance"), max_length=200, initial=_("Comité syndical")
    )
    decision_number = forms.CharField(label=_("Numéro de la délibération"), max_length=50)
    decision_date = DateField(label=_("Date de la délibération"))

    def __init__(self, *args, lot, ranked_ids=(), **kwargs):
        """`ranked_ids`: the lot's offers best first; the best one is pre-selected."""
        super().__init__(*args, **kwargs)
        ranks = {pk: rank for rank, pk in enumerate(ranked_ids, start=1)}
        field = self.fields["offer"]
        rank_order = Case(
            *[When(pk=pk, then=Value(rank)) for pk, rank in ranks.items()],
            default=Value(len(ranks) + 1),
        )
        field.queryset = lot.offers.select_related("supplier").order_by(rank_order, "pk")
        field.label_from_instance = lambda offer: (
            _("%(rank)s. %(supplier)s") % {"rank": ranks[offer.pk], "supplier": offer.supplier.name}
            if offer.pk in ranks
            else offer.supplier.name
        )
        if ranked_ids:
            field.initial = ranked_ids[0]


class OrderForm(forms.Form):
    lot = forms.ModelChoiceField(label=_("Lot"), queryset=None, empty_label=None)
    ordered_on = DateField(label=_("Date de commande"))
    quantity = DecimalField(label=_("Quantité"), min_value=0, max_digits=14, decimal_places=2)
    reference = forms.CharField(label=_("Référence du bon de commande"), required=False)

    def __init__(self, *args, campaign, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lot"].queryset = campaign.lots.filter(
            awarded_unit_price__isnull=False
        ).order_by("number")
        if members is not None:
            self.fields["member"] = forms.ModelChoiceField(
                label=_("Membre"), queryset=members, empty_label=None
            )
            self.order_fields(["member"])


class RenewForm(ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "name",
            "needs_deadline",
            "offers_deadline",
            "award_date",
            "contract_start",
            "contract_end",
        ]


class FeeForm(forms.Form):
    year = IntegerField(label=_("Année"), min_value=2000, max_value=2100)
