from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from mutualis.catalog.models import Service
from mutualis.core.forms import DecimalField, IntegerField, SearchableModelChoiceField
from mutualis.core.numbers import format_number, without_trailing_zeros
from mutualis.members.models import Member
from mutualis.metering.checks import unusual_previous
from mutualis.metering.models import Period


class UsageRecordForm(forms.Form):
    member = SearchableModelChoiceField(label=_("Membre"), queryset=Member.objects.order_by("name"))
    service = forms.ModelChoiceField(label=_("Service"), queryset=Service.objects.order_by("name"))
    period = forms.ChoiceField(label=_("Période"), choices=Period.choices, initial=Period.MONTH)
    year = IntegerField(label=_("Année"), min_value=2000, max_value=2100)
    month = IntegerField(
        label=_("Premier mois de la période"),
        min_value=1,
        max_value=12,
        initial=1,
        help_text=_("1 à 12 ; un trimestre commence en janvier, avril, juillet ou octobre."),
    )
    quantity = DecimalField(
        label=_("Quantité"), min_value=Decimal(0), max_digits=15, decimal_places=3
    )
    confirm_quantity = forms.BooleanField(label=_("Je confirme cette quantité"), required=False)
    note = forms.CharField(label=_("Commentaire"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The box is shown only under a reading that looks like a mistake (see clean).
        self.unusual_previous: Decimal | None = None
        if not self.is_bound:
            del self.fields["confirm_quantity"]

    def clean(self):
        """A reading ten times the previous one, or under a tenth of it, is often a typing
        mistake (« 12,5 » typed as 125): it is recorded once the person confirms it."""
        data = super().clean()
        names = ("member", "service", "period", "year", "month", "quantity")
        if all(data.get(name) is not None for name in names):
            self.unusual_previous = unusual_previous(
                member_id=data["member"].pk,
                service_id=data["service"].pk,
                period=data["period"],
                year=data["year"],
                month=data["month"],
                quantity=data["quantity"],
            )
        if self.unusual_previous is None:
            del self.fields["confirm_quantity"]
        elif not data.get("confirm_quantity"):
            self.add_error(
                "quantity",
                forms.ValidationError(
                    _("Le relevé précédent était de %(previous)s ; confirmez-vous %(quantity)s ?"),
                    code="unusual",
                    params={
                        "previous": format_number(without_trailing_zeros(self.unusual_previous)),
                        "quantity": format_number(without_trailing_zeros(data["quantity"])),
                    },
                ),
            )
        return data

    def asks_confirmation(self) -> bool:
        return self.has_error("quantity", code="unusual")


class UsageFilterForm(forms.Form):
    year = IntegerField(label=_("Année"), required=False, min_value=2000, max_value=2100)
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=Service.objects.only("name").order_by("name"), required=False
    )
    q = forms.CharField(label=_("Membre"), required=False, max_length=100)
