"""School holidays (vacances scolaires): the national calendar as the Ministry publishes it
(data.education.gouv.fr, « Calendrier scolaire », export CSV or XLSX): one row per holiday,
académie and population, with « Date de début » (the first day off) and « Date de fin » (the
day classes resume).

Rows of zones A, B, C and Corse are kept (the other territories, and the teachers' rows, are
skipped); the académies of a zone share their dates, so a holiday is stored once per zone,
its last day off being the day before classes resume. A holiday already stored (same zone,
name and first day) takes the file's last day. All or nothing, as every import.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mutualis.alerts import energy_services
from mutualis.alerts.models import HolidayZone, SchoolHoliday
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
    parse_date,
    parse_text,
    token,
)

PARIS = ZoneInfo("Europe/Paris")
ZONES = {"zone a": HolidayZone.A, "zone b": HolidayZone.B, "zone c": HolidayZone.C}
ZONES |= {"a": HolidayZone.A, "b": HolidayZone.B, "c": HolidayZone.C, "corse": HolidayZone.CORSE}
TEACHERS = "enseignants"


def parse_calendar_day(value: Any) -> dt.date | None:
    """`2026-10-17`, `17/10/2026`, a spreadsheet's date, or the open data's moment
    `2026-10-16T22:00:00+00:00` (read in Paris time: the 17th)."""
    text = as_text(value)
    if "T" in text and len(text) <= 40:
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError as exc:
            raise FieldError(
                _("« %(value)s » n'est pas une date (2026-10-17).") % {"value": text[:40]}
            ) from exc
        if moment.tzinfo is not None:
            moment = moment.astimezone(PARIS)
        return moment.date()
    return parse_date(value, required=True)


def school_year(day: dt.date) -> str:
    first = day.year if day.month >= 8 else day.year - 1
    return f"{first}-{first + 1}"


def zone_label(zone: str) -> str:
    return "Corse" if zone == HolidayZone.CORSE else f"Zone {zone}"


@dataclass(frozen=True)
class HolidayRow:
    line: int
    data: energy_services.HolidayData
    academy: str
    population: str


class SchoolHolidaysImporter(Importer):
    kind = "school_holidays"
    capability = Capability.MANAGE_IOT
    columns = (
        Column("description", True, gettext_lazy("Nom des vacances."), "Vacances de la Toussaint"),
        Column(
            "population",
            False,
            gettext_lazy("« - » ou « Élèves » ; les lignes « Enseignants » sont ignorées."),
            "-",
        ),
        Column("date_de_debut", True, gettext_lazy("Premier jour des vacances."), "2026-10-17"),
        Column(
            "date_de_fin",
            True,
            gettext_lazy("Jour de la reprise des cours (le lendemain du dernier jour de congé)."),
            "2026-11-02",
        ),
        Column("academies", False, gettext_lazy("Académie (facultatif)."), "Bordeaux"),
        Column("zones", True, gettext_lazy("Zone A, Zone B, Zone C ou Corse."), "Zone A"),
        Column("annee_scolaire", False, gettext_lazy("Année scolaire (ignorée)."), "2026-2027"),
    )
    model_fields = {"name": "description", "starts_on": "date_de_debut", "ends_on": "date_de_fin"}

    def clean(self, row: TableRow) -> HolidayRow | None:
        before = len(self.errors)
        zone_text = self.field(row, "zones", parse_text, required=True) or ""
        population = token(as_text(row.get("population")))
        zone = ZONES.get(token(zone_text))
        if zone is None or population == TEACHERS:
            return None  # another territory, or the teachers' days: not the schools' closure
        name = self.field(row, "description", parse_text, required=True, max_length=100)
        start = self.field(row, "date_de_debut", parse_calendar_day)
        resume = self.field(row, "date_de_fin", parse_calendar_day)
        if len(self.errors) > before:
            return None
        if resume <= start:
            self.error(
                row.line,
                "date_de_fin",
                _("La reprise (%(end)s) doit suivre le premier jour (%(start)s).")
                % {"end": f"{resume:%d/%m/%Y}", "start": f"{start:%d/%m/%Y}"},
            )
            return None
        data = energy_services.HolidayData(zone, name, start, resume - dt.timedelta(days=1))
        academy = token(as_text(row.get("academies")))
        return HolidayRow(row.line, data, academy, population)

    def key(self, cleaned: HolidayRow):
        d = cleaned.data
        return (d.zone, token(d.name), d.starts_on, cleaned.academy, cleaned.population), (
            "zones, description, date_de_debut, academies"
        )

    def check(self, cleaned_rows) -> None:
        """The académies of a zone must agree on a holiday's dates."""
        first: dict[tuple, HolidayRow] = {}
        for row in cleaned_rows:
            d = row.data
            seen = first.setdefault((d.zone, token(d.name), d.starts_on), row)
            if seen.data.ends_on != d.ends_on:
                self.error(
                    row.line,
                    "date_de_fin",
                    _("La ligne %(line)s donne une autre reprise pour ces vacances de la zone.")
                    % {"line": seen.line},
                )

    def apply_all(self, cleaned_rows: list[HolidayRow], report: ImportReport) -> None:
        unique: dict[tuple, HolidayRow] = {}
        for row in cleaned_rows:
            d = row.data
            unique.setdefault((d.zone, token(d.name), d.starts_on), row)
        super().apply_all(list(unique.values()), report)

    def apply(self, cleaned: HolidayRow) -> str:
        d = cleaned.data
        current = SchoolHoliday.objects.filter(
            zone=d.zone, name=d.name, starts_on=d.starts_on
        ).first()
        if current is not None and current.ends_on == d.ends_on:
            return UNCHANGED
        energy_services.holiday_save(data=d, holiday=current)
        return CREATED if current is None else UPDATED
