"""Sensor files (capteurs): one sensor per row, named by its device's DevEUI.

A known DevEUI updates its sensor (description, measures, make and model); a new one registers
a sensor. A new device for an existing sensor is a replacement, made on the sensor's page.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mutualis.core.numbers import DecimalBounds, parse_decimal, parse_integer
from mutualis.core.roles import Capability
from mutualis.core.tabular import TableRow
from mutualis.imports.importers.base import (
    CREATED,
    UNCHANGED,
    UPDATED,
    Column,
    FieldError,
    Importer,
    MemberIndex,
    as_text,
    choice_lookup,
    member_column,
    parse_choice,
    parse_code,
    parse_date,
    parse_text,
    token,
)
from mutualis.iot import services
from mutualis.iot.models import (
    BUILDING_MAX_LENGTH,
    Device,
    Quantity,
    Sensor,
    SensorKind,
    eui_validator,
)
from mutualis.territory.models import Commune

LIST_SEPARATOR = "|"
LATITUDE = DecimalBounds(8, 6, Decimal(-90), Decimal(90))
LONGITUDE = DecimalBounds(9, 6, Decimal(-180), Decimal(180))
KIND_LOOKUP = choice_lookup(SensorKind)
QUANTITY_LOOKUP = choice_lookup(Quantity)
YES = {"oui", "o", "1", "vrai", "true", "x", "yes"}
NO = {"non", "n", "0", "faux", "false", "no"}


def parse_flag(value: Any, *, default: bool) -> bool:
    text = token(as_text(value))
    if not text:
        return default
    if text in YES:
        return True
    if text in NO:
        return False
    raise FieldError(_("« %(value)s » : écrivez oui ou non.") % {"value": as_text(value)[:30]})


def flag_text(value: bool) -> str:
    return "oui" if value else "non"


def parse_eui(value: Any) -> str:
    text = "".join(c for c in as_text(value) if c not in " -:").lower()
    if not text:
        raise FieldError(_("Valeur obligatoire."))
    try:
        eui_validator(text)
    except ValidationError as exc:
        raise FieldError(
            _("« %(value)s » n'est pas un DevEUI (16 chiffres hexadécimaux).")
            % {"value": as_text(value)[:30]}
        ) from exc
    return text


def parse_quantities(value: Any) -> tuple[str, ...]:
    quantities = []
    for part in as_text(value).split(LIST_SEPARATOR):
        if part.strip():
            quantities.append(parse_choice(part, Quantity, QUANTITY_LOOKUP, required=True))
    if not quantities:
        raise FieldError(_("Au moins une grandeur mesurée, séparées par « | »."))
    return tuple(sorted(set(quantities)))


@dataclass(frozen=True)
class SensorRow:
    line: int
    data: services.SensorData
    device: services.DeviceData


class SensorsImporter(Importer):
    kind = "sensors"
    capability = Capability.MANAGE_IOT
    columns = (
        Column(
            "deveui",
            True,
            gettext_lazy("DevEUI de l'appareil, 16 chiffres hexadécimaux."),
            "70B3D57ED0051A2B",
        ),
        member_column("33063"),
        Column("nom", True, gettext_lazy("Libellé du capteur."), "École Jules-Ferry, salle 2"),
        Column(
            "batiment",
            False,
            gettext_lazy(
                "Bâtiment ou équipement qui regroupe des capteurs (200 caractères au plus). "
                "Cellule vide : aucun ; colonne absente : inchangé, ou pour un nouveau capteur "
                "la partie du nom avant la première virgule."
            ),
            "École Jules-Ferry",
        ),
        Column(
            "type",
            True,
            gettext_lazy(
                "water_meter, energy_meter, comfort, air_quality, occupancy, weather, water_level "
                "ou other (ou le libellé français)."
            ),
            "comfort",
        ),
        Column(
            "grandeurs",
            True,
            gettext_lazy(
                "Grandeurs mesurées séparées par « | » : water_volume, temperature, humidity, co2, "
                "illuminance, pressure, energy, power, level, noise, presence, count, battery."
            ),
            "temperature|humidity",
        ),
        Column("fabricant", False, gettext_lazy("Fabricant (facultatif)."), "Elsys"),
        Column("modele", False, gettext_lazy("Modèle (facultatif)."), "ERS"),
        Column("generation", False, gettext_lazy("Génération (facultatif)."), ""),
        Column("commune", False, gettext_lazy("Code INSEE de la commune (facultatif)."), "33063"),
        Column("latitude", False, gettext_lazy("Latitude en degrés décimaux."), "44,837789"),
        Column("longitude", False, gettext_lazy("Longitude en degrés décimaux."), "-0,57918"),
        Column("installation", False, gettext_lazy("Date d'installation."), "01/09/2026"),
        Column(
            "intervalle_minutes",
            False,
            gettext_lazy("Intervalle d'émission attendu, en minutes (60 par défaut)."),
            "60",
        ),
        Column("donnees_ouvertes", False, gettext_lazy("oui ou non (non par défaut)."), "non"),
        Column("actif", False, gettext_lazy("oui ou non (oui par défaut)."), "oui"),
    )
    model_fields = {
        "dev_eui": "deveui",
        "member": "membre",
        "name": "nom",
        "building": "batiment",
        "kind": "type",
        "quantities": "grandeurs",
        "latitude": "latitude",
        "longitude": "longitude",
        "reporting_minutes": "intervalle_minutes",
    }

    def prepare(self, rows: list[TableRow]) -> None:
        self.index = MemberIndex()
        codes = {parse_code(r.get("commune"), required=False) for r in rows if r.get("commune")}
        self.communes = {c.insee_code: c for c in Commune.objects.filter(insee_code__in=codes)}
        self.devices = {d.dev_eui: d for d in Device.objects.select_related("sensor")}

    def clean(self, row: TableRow) -> SensorRow | None:
        before = len(self.errors)
        dev_eui = self.field(row, "deveui", parse_eui)
        member = self.member_of(row, self.index)
        name = self.field(row, "nom", parse_text, required=True, max_length=200)
        building = (
            self.field(row, "batiment", parse_text, max_length=BUILDING_MAX_LENGTH)
            if self.has_column("batiment")
            else None
        )
        kind = self.field(row, "type", parse_choice, SensorKind, KIND_LOOKUP, required=True)
        quantities = self.field(row, "grandeurs", parse_quantities)
        make = self.field(row, "fabricant", parse_text, max_length=100)
        model = self.field(row, "modele", parse_text, max_length=100)
        generation = self.field(row, "generation", parse_text, max_length=50)
        code = self.field(row, "commune", parse_code, required=False)
        latitude = self.field(row, "latitude", parse_decimal, LATITUDE, required=False)
        longitude = self.field(row, "longitude", parse_decimal, LONGITUDE, required=False)
        installed_on = self.field(row, "installation", parse_date)
        minutes = self.field(
            row,
            "intervalle_minutes",
            parse_integer,
            min_value=1,
            max_value=60 * 24 * 31,
            required=False,
        )
        open_data = self.field(row, "donnees_ouvertes", parse_flag, default=False)
        active = self.field(row, "actif", parse_flag, default=True)
        commune = self.communes.get(code) if code else None
        if code and commune is None:
            self.error(
                row.line,
                "commune",
                _("Aucune commune ne porte le code INSEE « %(code)s ».") % {"code": code},
            )
        if len(self.errors) > before:
            return None
        return SensorRow(
            line=row.line,
            data=services.SensorData(
                member=member,
                name=name,
                building=building,
                kind=kind,
                quantities=quantities,
                commune=commune,
                latitude=latitude,
                longitude=longitude,
                installed_on=installed_on,
                reporting_minutes=minutes or 60,
                open_data=open_data,
                active=active,
            ),
            device=services.DeviceData(
                dev_eui=dev_eui, make=make, model=model, generation=generation
            ),
        )

    def key(self, cleaned: SensorRow):
        return cleaned.device.dev_eui, "deveui"

    def apply(self, cleaned: SensorRow) -> str:
        device = self.devices.get(cleaned.device.dev_eui)
        if device is None:
            services.sensor_create(data=cleaned.data, device=cleaned.device, user=self.user)
            return CREATED
        if device.removed_on is not None:
            raise ValidationError(
                {
                    "dev_eui": _(
                        "Cet appareil a été remplacé le %(date)s : nommez le capteur par "
                        "son appareil actuel."
                    )
                    % {"date": device.removed_on.strftime("%d/%m/%Y")}
                }
            )
        sensor = Sensor.objects.get(pk=device.sensor_id)
        changed = services.sensor_update(sensor=sensor, data=cleaned.data, device=cleaned.device)
        return UPDATED if changed else UNCHANGED
