"""Daily weather (météo quotidienne): Météo-France's open-data « données climatologiques de
base quotidiennes » files (meteo.data.gouv.fr, files Q_<département>_..._RR-T-Vent.csv), as
they are downloaded: semicolon-separated, one row per station (NUM_POSTE) and day (AAAAMMJJ).

Only the temperatures are kept (TN, TX, TM in °C); the other columns of the file are accepted
and ignored. A station is created at its first row (its NOM_USUEL as name); a day already
stored is replaced by the file's. All or nothing, as every import.
"""

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mutualis.alerts.models import DailyWeather, WeatherStation
from mutualis.core.roles import Capability
from mutualis.core.tabular import ImportReport, TableRow
from mutualis.imports.importers.base import (
    CREATED,
    UNCHANGED,
    UPDATED,
    Column,
    FieldError,
    Importer,
    as_text,
    parse_text,
)

# The header of the RR-T-Vent files, in their order (the Q columns give each value's quality).
IGNORED = [
    "LAT",
    "LON",
    "ALTI",
    "RR",
    "QRR",
    "QTN",
    "HTN",
    "QHTN",
    "QTX",
    "HTX",
    "QHTX",
    "QTM",
    "TNTXM",
    "QTNTXM",
    "TAMPLI",
    "QTAMPLI",
    "TNSOL",
    "QTNSOL",
    "TN50",
    "QTN50",
    "DG",
    "QDG",
    "FFM",
    "QFFM",
    "FF2M",
    "QFF2M",
    "FXY",
    "QFXY",
    "DXY",
    "QDXY",
    "HXY",
    "QHXY",
    "FXI",
    "QFXI",
    "DXI",
    "QDXI",
    "HXI",
    "QHXI",
    "FXI2",
    "QFXI2",
    "DXI2",
    "QDXI2",
    "HXI2",
    "QHXI2",
    "FXI3S",
    "QFXI3S",
    "DXI3S",
    "QDXI3S",
    "HXI3S",
    "QHXI3S",
]
LIMIT_C = 60.0


def parse_day(value: Any) -> dt.date:
    text = as_text(value)
    if not re.fullmatch(r"\d{8}", text):
        raise FieldError(
            _("« %(value)s » n'est pas une date AAAAMMJJ (20261130).") % {"value": text[:20]}
        )
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError as exc:
        raise FieldError(_("« %(value)s » : ce jour n'existe pas.") % {"value": text}) from exc


def parse_celsius(value: Any) -> float | None:
    """A temperature in °C as Météo-France writes it (« 12.4 »; « 12,4 » too); empty or
    « mq » (manquant): unknown."""
    text = as_text(value).replace(",", ".")
    if text in ("", "mq"):
        return None
    try:
        number = float(text)
    except ValueError as exc:
        raise FieldError(
            _("« %(value)s » n'est pas une température en °C (12.4 ou 12,4).")
            % {"value": text[:20]}
        ) from exc
    if not -LIMIT_C <= number <= LIMIT_C:
        raise FieldError(_("%(value)s °C : hors de −60 à 60 °C.") % {"value": text})
    return number


@dataclass(frozen=True)
class WeatherRow:
    line: int
    code: str
    name: str
    day: dt.date
    minimum: float | None
    maximum: float | None
    mean: float | None


def _optional(name: str) -> Column:
    return Column(name.lower(), False, gettext_lazy("Colonne du fichier, ignorée."))


class WeatherImporter(Importer):
    kind = "weather"
    capability = Capability.MANAGE_IOT
    columns = (
        Column("num_poste", True, gettext_lazy("Numéro du poste Météo-France."), "33281001"),
        Column("nom_usuel", False, gettext_lazy("Nom de la station."), "BORDEAUX-MERIGNAC"),
        *(_optional(name) for name in IGNORED[:3]),
        Column("aaaammjj", True, gettext_lazy("Jour, AAAAMMJJ."), "20261130"),
        *(_optional(name) for name in IGNORED[3:5]),
        Column("tn", False, gettext_lazy("Température minimale du jour, °C."), "3.1"),
        *(_optional(name) for name in IGNORED[5:8]),
        Column("tx", False, gettext_lazy("Température maximale du jour, °C."), "11.8"),
        *(_optional(name) for name in IGNORED[8:11]),
        Column("tm", False, gettext_lazy("Température moyenne du jour, °C."), "7.2"),
        *(_optional(name) for name in IGNORED[11:]),
    )

    def clean(self, row: TableRow) -> WeatherRow | None:
        errors_before = len(self.errors)
        code = self.field(row, "num_poste", parse_text, required=True, max_length=20) or ""
        if code and not re.fullmatch(r"[0-9A-Za-z_-]+", code):
            self.error(row.line, "num_poste", _("Un numéro de poste s'écrit en chiffres."))
        name = self.field(row, "nom_usuel", parse_text, max_length=200) or ""
        day = self.field(row, "aaaammjj", parse_day)
        minimum = self.field(row, "tn", parse_celsius)
        maximum = self.field(row, "tx", parse_celsius)
        mean = self.field(row, "tm", parse_celsius)
        if len(self.errors) > errors_before or day is None:
            return None
        if minimum is not None and maximum is not None and minimum > maximum:
            self.error(row.line, "tn", _("La minimale (TN) dépasse la maximale (TX)."))
            return None
        if mean is None and (minimum is None or maximum is None):
            self.error(
                row.line, "tm", _("Ni moyenne (TM), ni minimale et maximale (TN, TX) ce jour.")
            )
            return None
        return WeatherRow(row.line, code, name, day, minimum, maximum, mean)

    def key(self, cleaned: WeatherRow):
        return (cleaned.code, cleaned.day), "NUM_POSTE, AAAAMMJJ"

    def error(self, line: int | None, column: str, message: str) -> None:
        """Columns named as Météo-France's header writes them (« TN », not « tn »)."""
        super().error(line, column.upper(), message)

    @transaction.atomic
    def apply_all(self, cleaned_rows: list[WeatherRow], report: ImportReport) -> None:
        stations = {s.code: s for s in WeatherStation.objects.all()}
        for row in cleaned_rows:
            if row.code not in stations:
                stations[row.code] = WeatherStation.objects.create(
                    code=row.code, name=(row.name or row.code).title()
                )
        days = [row.day for row in cleaned_rows]
        existing = {
            (w.station_id, w.day): w
            for w in DailyWeather.objects.filter(
                station__in=[stations[c] for c in {r.code for r in cleaned_rows}],
                day__range=(min(days), max(days)),
            )
        }
        new, changed = [], []
        for row in cleaned_rows:
            station = stations[row.code]
            values = (row.minimum, row.maximum, row.mean)
            current = existing.get((station.pk, row.day))
            if current is None:
                new.append(DailyWeather(station=station, day=row.day, **self._fields(values)))
                report.count(CREATED)
            elif (current.minimum, current.maximum, current.mean) != values:
                current.minimum, current.maximum, current.mean = values
                changed.append(current)
                report.count(UPDATED)
            else:
                report.count(UNCHANGED)
        DailyWeather.objects.bulk_create(new, batch_size=2000)
        DailyWeather.objects.bulk_update(changed, ["minimum", "maximum", "mean"], batch_size=2000)

    @staticmethod
    def _fields(values: tuple[float | None, ...]) -> dict[str, float | None]:
        return dict(zip(("minimum", "maximum", "mean"), values, strict=True))
