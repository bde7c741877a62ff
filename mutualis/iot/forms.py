import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mutualis.core.forms import DateField, DecimalField, IntegerField
from mutualis.iot.models import (
    BUILDING_MAX_LENGTH,
    EventKind,
    Quantity,
    SensorKind,
    eui_validator,
)
from mutualis.members.models import Member
from mutualis.territory.models import Commune


class DevEuiField(forms.CharField):
    """16 hexadecimal digits; spaces, dashes and colons (70-B3-D5-…) are dropped."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("DevEUI"))
        kwargs.setdefault("help_text", _("16 chiffres hexadécimaux, par exemple 70B3D57ED0051A2B."))
        super().__init__(max_length=32, **kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        return "".join(c for c in text if c not in " -:").lower()

    def validate(self, value):
        super().validate(value)
        if value:
            eui_validator(value)


def latitude_field(**kwargs):
    return DecimalField(
        label=_("Latitude"),
        max_digits=8,
        decimal_places=6,
        min_value=Decimal(-90),
        max_value=Decimal(90),
        help_text=_("En degrés décimaux, par exemple 44,837789."),
        **kwargs,
    )


def longitude_field(**kwargs):
    return DecimalField(
        label=_("Longitude"),
        max_digits=9,
        decimal_places=6,
        min_value=Decimal(-180),
        max_value=Decimal(180),
        help_text=_("En degrés décimaux, par exemple -0,579180."),
        **kwargs,
    )


class CommuneCodeField(forms.CharField):
    """A commune by its INSEE code (the list of France's communes is too long for a menu)."""

    def __init__(self, **kwargs):
        super().__init__(
            label=_("Commune (code INSEE)"),
            max_length=5,
            required=False,
            help_text=_("Par exemple 33063 pour Bordeaux."),
            **kwargs,
        )

    def clean(self, value):
        code = super().clean(value).strip().upper()
        if not code:
            return None
        commune = Commune.objects.filter(insee_code=code).first()
        if commune is None:
            raise ValidationError(
                _("Aucune commune ne porte le code INSEE « %(code)s »."), params={"code": code}
            )
        return commune


class SensorForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Membre"), queryset=Member.objects.order_by("name"))
    name = forms.CharField(
        label=_("Libellé"),
        max_length=200,
        help_text=_("Par exemple « École Jules-Ferry, chaufferie »."),
    )
    building = forms.CharField(
        label=_("Bâtiment ou équipement"),
        max_length=BUILDING_MAX_LENGTH,
        required=False,
        help_text=_(
            "Regroupe les capteurs d'un même lieu dans « Mon espace », par exemple "
            "« École Jules-Ferry »."
        ),
    )
    kind = forms.ChoiceField(label=_("Type de capteur"), choices=SensorKind.choices)
    quantities = forms.MultipleChoiceField(
        label=_("Grandeurs mesurées"),
        choices=Quantity.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    dev_eui = DevEuiField()
    make = forms.CharField(label=_("Fabricant"), max_length=100, required=False)
    model = forms.CharField(label=_("Modèle"), max_length=100, required=False)
    generation = forms.CharField(label=_("Génération"), max_length=50, required=False)
    commune = CommuneCodeField()
    latitude = latitude_field(required=False)
    longitude = longitude_field(required=False)
    installed_on = DateField(label=_("Date d'installation"), required=False)
    reporting_minutes = IntegerField(
        label=_("Intervalle d'émission attendu (minutes)"),
        min_value=1,
        max_value=60 * 24 * 31,
        initial=60,
    )
    open_data = forms.BooleanField(label=_("Publié en données ouvertes"), required=False)
    active = forms.BooleanField(label=_("Actif"), required=False, initial=True)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:  # a new device is a replacement (the maintenance form)
            self.fields["dev_eui"].disabled = True
            self.fields["dev_eui"].help_text = _(
                "Pour poser un nouvel appareil, enregistrez un remplacement."
            )


class MaintenanceForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Intervention"),
        choices=[(k, label) for k, label in EventKind.choices if k != EventKind.INSTALLATION],
    )
    date = DateField(label=_("Date"))
    note = forms.CharField(label=_("Commentaire"), max_length=300, required=False)
    dev_eui = DevEuiField(required=False)
    make = forms.CharField(label=_("Fabricant du nouvel appareil"), max_length=100, required=False)
    model = forms.CharField(label=_("Modèle du nouvel appareil"), max_length=100, required=False)
    generation = forms.CharField(label=_("Génération"), max_length=50, required=False)
    latitude = latitude_field(required=False)
    longitude = longitude_field(required=False)
    name = forms.CharField(label=_("Nouveau libellé"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        needed = {
            EventKind.REPLACEMENT: ("dev_eui",),
            EventKind.MOVE: ("latitude", "longitude"),
            EventKind.NOTE: ("note",),
        }.get(kind, ())
        for name in needed:
            if data.get(name) in (None, ""):
                self.add_error(name, _("Nécessaire pour cette intervention."))
        return data


class SensorFilterForm(forms.Form):
    member = forms.ModelChoiceField(
        label=_("Membre"), queryset=Member.objects.order_by("name"), required=False
    )
    kind = forms.ChoiceField(
        label=_("Type"), choices=[("", _("Tous")), *SensorKind.choices], required=False
    )
    commune = CommuneCodeField()
    building = forms.CharField(
        label=_("Bâtiment ou équipement"),
        max_length=BUILDING_MAX_LENGTH,
        required=False,
        help_text=_("Tout ou partie de son nom."),
    )


EXPORT_MAX_DAYS = 366


class ExportForm(forms.Form):
    """A member's values over a bounded period, raw or from the rollups."""

    sensor = forms.ModelChoiceField(
        label=_("Capteur"), queryset=None, required=False, empty_label=_("Tous mes capteurs")
    )
    since = DateField(label=_("Du"))
    until = DateField(label=_("Au (inclus)"))
    step = forms.ChoiceField(
        label=_("Pas"),
        choices=[
            ("valeurs", _("Chaque valeur mesurée")),
            ("heure", _("Par heure (nombre, min., max., moyenne, somme, dernière)")),
            ("jour", _("Par jour (idem)")),
        ],
        initial="jour",
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=[("csv", "CSV"), ("json", "JSON")], initial="csv"
    )

    def __init__(self, *args, sensors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sensor"].queryset = sensors

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until:
            if until < since:
                self.add_error("until", _("La fin précède le début."))
            elif (until - since).days >= EXPORT_MAX_DAYS:
                self.add_error(
                    "until",
                    _("Une période de %(n)s jours au plus : exportez-la en plusieurs fois.")
                    % {"n": EXPORT_MAX_DAYS},
                )
        return data


GATEWAY_ID = re.compile(r"^[a-z0-9][a-z0-9._@-]{0,63}$")


class GatewayIdField(forms.CharField):
    """A gateway as its network server names it: an EUI of 16 hexadecimal digits (spaces,
    dashes and colons dropped, lower case), or an identifier of The Things Stack."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Identifiant (EUI)"))
        kwargs.setdefault(
            "help_text",
            _("16 chiffres hexadécimaux (B827EBFFFE61CC3D) ou l'identifiant du serveur de réseau."),
        )
        super().__init__(max_length=80, **kwargs)

    def to_python(self, value):
        text = super().to_python(value).strip()
        compact = "".join(c for c in text if c not in " -:")
        if re.fullmatch(r"[0-9A-Fa-f]{16}", compact):
            return compact.lower()
        return text

    def validate(self, value):
        super().validate(value)
        if value and not GATEWAY_ID.fullmatch(value):
            raise ValidationError(
                _(
                    "« %(value)s » n'est pas un identifiant de passerelle : 16 chiffres "
                    "hexadécimaux, ou 64 lettres minuscules, chiffres, « . », « _ », « - » "
                    "ou « @ » au plus."
                ),
                params={"value": value[:80]},
            )


class GatewayForm(forms.Form):
    """A gateway; the owner is chosen by the operator, a member's own in « Mon espace »."""

    eui = GatewayIdField()
    name = forms.CharField(label=_("Nom"), max_length=200, required=False)
    owner = forms.ModelChoiceField(
        label=_("Propriétaire"),
        queryset=Member.objects.order_by("name"),
        required=False,
        empty_label=_("L'opérateur"),
    )
    commune = CommuneCodeField()
    latitude = latitude_field(required=False)
    longitude = longitude_field(required=False)

    def __init__(self, *args, editing: bool = False, member=None, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:  # the network names the gateway by it
            self.fields["eui"].disabled = True
            self.fields["eui"].help_text = _("L'identifiant d'une passerelle ne change pas.")
        if member is not None:  # « Mon espace »: the member's own gateways
            del self.fields["owner"]
