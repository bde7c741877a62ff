"""Sectors of water networks (secteurs de réseau): one row per sector of a member, its
district (or building) meter and the meters behind it, all named by their devices' DevEUI.

A sector already stored (same member and name) takes the file's meters; a new one is
created. The meters must be the member's water meters. All or nothing, as every import.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mutualis.alerts.models import MeterSector
from mutualis.alerts.sectors import SectorData, sector_save
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
    member_column,
    parse_text,
)
from mutualis.imports.importers.sensors import parse_eui, parse_flag
from mutualis.iot.models import Device, Quantity, Sensor, SensorKind

LIST_SEPARATOR = "|"


def parse_euis(value: Any) -> tuple[str, ...]:
    euis = [parse_eui(part) for part in as_text(value).split(LIST_SEPARATOR) if part.strip()]
    if not euis:
        raise FieldError(_("Au moins un compteur en aval, DevEUI séparés par « | »."))
    return tuple(dict.fromkeys(euis))


@dataclass(frozen=True)
class SectorRow:
    line: int
    member: Any
    data: SectorData


class MeterSectorsImporter(Importer):
    kind = "meter_sectors"
    capability = Capability.MANAGE_IOT
    columns = (
        member_column("33281"),
        Column("secteur", True, gettext_lazy("Nom du secteur."), "Secteur des écoles"),
        Column(
            "compteur_de_tete",
            True,
            gettext_lazy("DevEUI du compteur d'eau de tête (quartier ou bâtiment)."),
            "70B3D57ED0051A2B",
        ),
        Column(
            "compteurs_en_aval",
            True,
            gettext_lazy("DevEUI des compteurs d'eau alimentés, séparés par « | »."),
            "70B3D57ED0051A2C|70B3D57ED0051A2D",
        ),
        Column("suivi", False, gettext_lazy("oui (par défaut) ou non."), "oui"),
    )
    model_fields = {
        "name": "secteur",
        "district": "compteur_de_tete",
        "behind": "compteurs_en_aval",
    }

    def prepare(self, rows: list[TableRow]) -> None:
        self.index = MemberIndex()
        self.meters = {
            d.dev_eui: d.sensor
            for d in Device.objects.filter(
                removed_on__isnull=True,
                sensor__kind=SensorKind.WATER_METER,
                sensor__measures__quantity=Quantity.WATER_VOLUME,
            ).select_related("sensor")
        }

    def _meter(self, row: TableRow, column: str, eui: str, member) -> Sensor | None:
        sensor = self.meters.get(eui)
        if sensor is None:
            self.error(
                row.line,
                column,
                _("Aucun compteur d'eau en service n'a le DevEUI « %(eui)s ».") % {"eui": eui},
            )
        elif member is not None and sensor.member_id != member.pk:
            self.error(
                row.line,
                column,
                _("Le compteur « %(eui)s » n'est pas à ce membre.") % {"eui": eui},
            )
            return None
        return sensor

    def clean(self, row: TableRow) -> SectorRow | None:
        before = len(self.errors)
        member = self.member_of(row, self.index)
        name = self.field(row, "secteur", parse_text, required=True, max_length=200)
        head = self.field(row, "compteur_de_tete", parse_eui)
        behind = self.field(row, "compteurs_en_aval", parse_euis) or ()
        active = self.field(row, "suivi", parse_flag, default=True)
        district = self._meter(row, "compteur_de_tete", head, member) if head else None
        meters = [self._meter(row, "compteurs_en_aval", eui, member) for eui in behind]
        if len(self.errors) > before or member is None or district is None:
            return None
        data = SectorData(name, district, [m for m in meters if m is not None], active)
        return SectorRow(row.line, member, data)

    def key(self, cleaned: SectorRow):
        return (cleaned.member.pk, cleaned.data.name), "membre, secteur"

    def check(self, cleaned_rows) -> None:
        heads: dict[int, int] = {}
        for row in cleaned_rows:
            line = heads.setdefault(row.data.district.pk, row.line)
            if line != row.line:
                self.error(
                    row.line,
                    "compteur_de_tete",
                    _("La ligne %(line)s a déjà ce compteur de tête.") % {"line": line},
                )

    def apply(self, cleaned: SectorRow) -> str:
        d = cleaned.data
        sector = MeterSector.objects.filter(member=cleaned.member, name=d.name).first()
        if sector is not None:
            current = (sector.district_id, sector.active, {s.pk for s in sector.behind.all()})
            if current == (d.district.pk, d.active, {s.pk for s in d.behind}):
                return UNCHANGED
        sector_save(member=cleaned.member, data=d, sector=sector)
        return CREATED if sector is None else UPDATED
