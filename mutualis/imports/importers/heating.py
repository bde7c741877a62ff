"""Heating profiles of buildings (profils de chauffage): one row per building's energy meter,
named by its device's DevEUI, with the Météo-France station it heats against, its days of
occupation and the school holidays' zone it closes for.

A meter with a profile has it changed; without, one is created (the member is the meter's).
All or nothing, as every import.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mutualis.alerts import energy_services
from mutualis.alerts.models import HeatingProfile, HolidayZone, WeatherStation
from mutualis.core.roles import Capability
from mutualis.core.tabular import TableRow
from mutualis.imports.importers.base import (
    CREATED,
    UNCHANGED,
    UPDATED,
    Column,
    FieldError,
    Importer,
    as_text,
    parse_text,
    token,
)
from mutualis.imports.importers.holidays import ZONES
from mutualis.imports.importers.sensors import parse_eui, parse_flag
from mutualis.iot.models import Device, SensorKind

DAYS = ["lun", "mar", "mer", "jeu", "ven", "sam", "dim"]
DAY_SEPARATOR = "|"


def parse_weekdays(value: Any) -> str:
    """`lun|mar|mer|jeu|ven` (or the full names, or the digits `01234`, 0 = lundi); empty:
    never occupied."""
    text = as_text(value)
    if text.isdigit():
        if any(c not in "0123456" for c in text):
            raise FieldError(_("Les chiffres des jours vont de 0 (lundi) à 6 (dimanche)."))
        return "".join(sorted(set(text)))
    days = set()
    for part in text.replace(",", DAY_SEPARATOR).split(DAY_SEPARATOR):
        word = token(part)
        if not word:
            continue
        if word[:3] not in DAYS:
            raise FieldError(
                _("« %(value)s » n'est pas un jour (lun, mar, mer, jeu, ven, sam, dim).")
                % {"value": part.strip()[:20]}
            )
        days.add(str(DAYS.index(word[:3])))
    return "".join(sorted(days))


def weekdays_text(weekdays: str) -> str:
    return DAY_SEPARATOR.join(DAYS[int(d)] for d in sorted(weekdays))


def parse_zone(value: Any) -> str:
    text = as_text(value)
    if not text:
        return ""
    zone = ZONES.get(token(text))
    if zone is None:
        raise FieldError(_("« %(value)s » : A, B, C ou Corse.") % {"value": text[:20]})
    return zone


def zone_text(zone: str) -> str:
    return "Corse" if zone == HolidayZone.CORSE else zone


@dataclass(frozen=True)
class ProfileRow:
    line: int
    data: energy_services.ProfileData


class HeatingProfilesImporter(Importer):
    kind = "heating_profiles"
    capability = Capability.MANAGE_IOT
    columns = (
        Column(
            "deveui",
            True,
            gettext_lazy("DevEUI du compteur d'énergie du bâtiment (déjà enregistré)."),
            "70B3D57ED0051A2B",
        ),
        Column(
            "num_poste",
            True,
            gettext_lazy("Station météo (NUM_POSTE Météo-France, déjà importée)."),
            "33281001",
        ),
        Column(
            "jours_occupes",
            False,
            gettext_lazy("Jours d'occupation : lun|mar|mer|jeu|ven (par défaut)."),
            "lun|mar|mer|jeu|ven",
        ),
        Column(
            "zone_vacances",
            False,
            gettext_lazy("Fermé pendant les vacances scolaires de la zone : A, B, C ou Corse."),
            "A",
        ),
        Column("ferme_jours_feries", False, gettext_lazy("oui (par défaut) ou non."), "oui"),
        Column("suivi", False, gettext_lazy("oui (par défaut) ou non."), "oui"),
    )
    model_fields = {
        "sensor": "deveui",
        "station": "num_poste",
        "weekdays": "jours_occupes",
        "holiday_zone": "zone_vacances",
    }

    def prepare(self, rows: list[TableRow]) -> None:
        self.devices = {
            d.dev_eui: d
            for d in Device.objects.filter(removed_on__isnull=True).select_related("sensor")
        }
        self.stations = {s.code: s for s in WeatherStation.objects.all()}

    def clean(self, row: TableRow) -> ProfileRow | None:
        before = len(self.errors)
        eui = self.field(row, "deveui", parse_eui)
        code = self.field(row, "num_poste", parse_text, required=True, max_length=20)
        weekdays = (
            self.field(row, "jours_occupes", parse_weekdays)
            if as_text(row.get("jours_occupes"))
            else "01234"
        )
        zone = self.field(row, "zone_vacances", parse_zone)
        closed = self.field(row, "ferme_jours_feries", parse_flag, default=True)
        active = self.field(row, "suivi", parse_flag, default=True)
        device = self.devices.get(eui) if eui else None
        if eui and device is None:
            self.error(
                row.line,
                "deveui",
                _("Aucun capteur en service n'a le DevEUI « %(eui)s ».") % {"eui": eui},
            )
        elif device is not None and device.sensor.kind != SensorKind.ENERGY_METER:
            self.error(
                row.line,
                "deveui",
                _("Le capteur « %(name)s » n'est pas un compteur d'énergie.")
                % {"name": device.sensor.name},
            )
        station = self.stations.get(code) if code else None
        if code and station is None:
            self.error(
                row.line,
                "num_poste",
                _("Aucune station météo « %(code)s » : importez d'abord sa météo quotidienne.")
                % {"code": code},
            )
        if len(self.errors) > before or device is None or station is None:
            return None
        data = energy_services.ProfileData(
            device.sensor, station, weekdays or "", zone or "", closed, active
        )
        return ProfileRow(row.line, data)

    def key(self, cleaned: ProfileRow):
        return cleaned.data.sensor.pk, "deveui"

    def apply(self, cleaned: ProfileRow) -> str:
        existed = HeatingProfile.objects.filter(sensor=cleaned.data.sensor).exists()
        _profile, changed = energy_services.profile_save(data=cleaned.data)
        if not changed:
            return UNCHANGED
        return UPDATED if existed else CREATED
