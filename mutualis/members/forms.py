from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

from mutualis.core.forms import DateField, SearchableModelChoiceField, validate_document_size
from mutualis.members.models import EstablishmentKind, Member, MemberKind, MembershipPart
from mutualis.territory.models import Departement, Epci


def validate_pdf(document) -> None:
    """Délibérations and conventions are PDF files: by their name and by their content, and
    of a reasonable size."""
    validate_document_size(document)
    FileExtensionValidator(["pdf"])(document)
    head = document.read(5)
    document.seek(0)
    if head != b"%PDF-":
        raise ValidationError(_("Ce fichier n'est pas un PDF."))


class PdfField(forms.FileField):
    default_validators = [validate_pdf]


class MemberFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Rechercher"), required=False, help_text=_("Nom, SIREN ou code INSEE")
    )
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Tous")), *MemberKind.choices]
    )
    departement = forms.ChoiceField(label=_("Département"), required=False, choices=())
    epci = forms.ChoiceField(label=_("EPCI"), required=False, choices=())
    status = forms.ChoiceField(
        label=_("Statut"),
        required=False,
        choices=[
            ("", _("Tous")),
            ("member", _("Adhérents")),
            ("not_member", _("Non adhérents")),
        ],
    )

    def __init__(self, *args, departement_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        departements = Departement.objects.filter(pk__in=departement_ids).order_by("code")
        self.fields["departement"].choices = [("", _("Tous"))] + [
            (d.code, f"{d.code} {d.name}") for d in departements
        ]
        epcis = Epci.objects.filter(communes__departement_id__in=departement_ids).distinct()
        self.fields["epci"].choices = [("", _("Tous"))] + [
            (e.siren, e.name) for e in epcis.order_by("name")
        ]


class CodeField(forms.CharField):
    """An official code as people type it: « 33 005 », « 213 300 635 »."""

    def to_python(self, value):
        return "".join(super().to_python(value).split())


class TerritoryMemberForm(forms.Form):
    code = CodeField(
        label=_("Code officiel"),
        max_length=12,
        help_text=_(
            "Code INSEE d'une commune (33063), SIREN d'un EPCI ou code d'un département (33)"
        ),
    )


class EstablishmentForm(forms.Form):
    name = forms.CharField(label=_("Nom"), max_length=200)
    establishment_kind = forms.ChoiceField(
        label=_("Type d'établissement"), choices=EstablishmentKind.choices
    )
    parent = SearchableModelChoiceField(
        label=_("Rattaché à"),
        queryset=Member.objects.filter(kind__in=[MemberKind.COMMUNE, MemberKind.EPCI]).order_by(
            "name"
        ),
        help_text=_("La commune ou l'EPCI de rattachement"),
    )
    siren = CodeField(label=_("SIREN"), required=False, help_text=_("9 chiffres"))

    def clean_siren(self):
        siren = self.cleaned_data["siren"]
        if siren and not (len(siren) == 9 and siren.isdigit()):
            raise ValidationError(_("Le SIREN comporte 9 chiffres."))
        return siren

    email = forms.EmailField(label=_("Courriel"), required=False)


class MembershipForm(forms.Form):
    start_date = DateField(label=_("Date de début"))
    part = forms.ChoiceField(
        label=_("Part des statuts"), choices=MembershipPart.choices, initial=MembershipPart.FULL
    )
    decision_body = forms.CharField(
        label=_("Instance ayant délibéré"), max_length=200, initial=_("Conseil municipal")
    )
    decision_number = forms.CharField(
        label=_("Numéro de délibération"), max_length=50, required=False
    )
    decision_date = DateField(label=_("Date de la délibération"))
    decision_document = PdfField(label=_("Délibération (PDF)"), required=False)
    agreement_reference = forms.CharField(
        label=_("Référence de la convention"), max_length=100, required=False
    )
    agreement_signed_on = DateField(label=_("Convention signée le"), required=False)
    agreement_third_party = forms.ModelChoiceField(
        label=_("Tiers de la convention tripartite"),
        queryset=Member.objects.filter(kind=MemberKind.EPCI).order_by("name"),
        required=False,
        help_text=_("Pour une convention opérateur–EPCI–commune"),
    )
    agreement_document = PdfField(label=_("Convention (PDF)"), required=False)

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        third_parties = Member.objects.filter(
            kind=MemberKind.EPCI, territory_epci_id=member.epci_id
        ).exclude(pk=member.pk)
        if member.epci_id is None or not third_parties.exists():
            del self.fields["agreement_third_party"]
        else:
            self.fields["agreement_third_party"].queryset = third_parties

    def clean(self):
        data = super().clean()
        if data.get("agreement_third_party") and not data.get("agreement_reference"):
            self.add_error("agreement_reference", _("Indiquez la référence de la convention."))
        return data


class MembershipEndForm(forms.Form):
    end_date = DateField(label=_("Date de fin"))
    reason = forms.CharField(label=_("Motif"), max_length=300)
    end_subscriptions = forms.BooleanField(
        label=_("Terminer aussi ses souscriptions en cours à la même date"),
        required=False,
        initial=True,
    )


class AgentInviteForm(forms.Form):
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    email = forms.EmailField(label=_("Adresse électronique"))
    includes_perimeter = forms.BooleanField(
        label=_("Voit aussi les communes et établissements de l'EPCI"), required=False
    )
    is_elected = forms.BooleanField(
        label=_("Élu de la collectivité"),
        required=False,
        help_text=_("Il arrive sur « Ce que la mutualisation nous apporte » à sa connexion."),
    )

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        if member.kind != MemberKind.EPCI:
            del self.fields["includes_perimeter"]
