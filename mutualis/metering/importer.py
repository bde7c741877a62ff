"""Usage files (CSV/XLSX): one reading per row, checked in full before anything is written.

Columns: ``membre`` (SIREN or INSEE code), ``service`` (code), ``periode`` (2026-03, 03/2026,
2026-T1, T1 2026 or 2026), ``quantite``, and optionally ``unite`` (the service's unit code) and
``commentaire``. Every row is checked (unknown member or service, unit mismatch, negative
quantity, period outside the subscription, duplicate, period overlapping a reading of another
kind: months and a quarter, a quarter and the year); only a file without errors is applied,
in one transaction. A reading replaces the one of the same member, service and period, so a
file imported twice changes nothing the second time (the report says: created, replaced,
unchanged).
"""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mutualis.catalog.models import Service, Subscription
from mutualis.core.tabular import ImportReport, RowError, TabularError, read_table
from mutualis.members.models import Member
from mutualis.metering.models import (
    Period,
    UsageRecord,
    UsageSource,
    period_last_day,
)
from mutualis.metering.services import periods_overlap, usage_overlap_message

COLUMNS = {
    "membre": (True, gettext_lazy("SIREN ou code INSEE du membre")),
    "service": (True, gettext_lazy("code du service (ex. sauvegarde)")),
    "periode": (True, gettext_lazy("2026-03 (mois), 2026-T1 (trimestre) ou 2026 (année)")),
    "quantite": (
        True,
        gettext_lazy("quantité dans l'unité du service, positive (3 décimales au plus)"),
    ),
    "unite": (False, gettext_lazy("code de l'unité, vérifié s'il est donné (ex. gb, pupil)")),
    "commentaire": (False, gettext_lazy("texte libre")),
}


@dataclass(frozen=True)
class Reading:
    line: int
    member_id: int
    service_id: int
    period: str
    year: int
    month: int
    quantity: Decimal
    note: str


def parse_period(value) -> tuple[str, int, int]:
    if isinstance(value, dt.date):
        return Period.MONTH, value.year, value.month
    text = str(value).strip().upper().replace(" ", "")
    if re.fullmatch(r"\d{4}", text):
        return Period.YEAR, int(text), 1
    if match := re.fullmatch(r"(\d{4})-?T([1-4])|T([1-4])-?(\d{4})", text):
        year = int(match.group(1) or match.group(4))
        quarter = int(match.group(2) or match.group(3))
        return Period.QUARTER, year, 3 * quarter - 2
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})|(\d{1,2})/(\d{4})", text):
        year = int(match.group(1) or match.group(4))
        month = int(match.group(2) or match.group(3))
        if 1 <= month <= 12:
            return Period.MONTH, year, month
    raise ValueError(
        _("« %(v)s » n'est pas une période (2026-03, 2026-T1 ou 2026).") % {"v": value}
    )


def parse_quantity(value) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(_("nombre attendu"))
    try:
        quantity = Decimal(
            str(value).strip().replace("\u202f", "").replace(" ", "").replace(",", ".")
        )
    except InvalidOperation as error:
        raise ValueError(_("« %(v)s » n'est pas un nombre.") % {"v": value}) from error
    if not quantity.is_finite():
        raise ValueError(_("« %(v)s » n'est pas un nombre.") % {"v": value})
    if quantity != quantity.quantize(Decimal("0.001")):
        raise ValueError(_("3 décimales au plus."))
    if quantity < 0:
        raise ValueError(_("La quantité ne peut pas être négative."))
    return quantity


class UsageImport:
    def __init__(self, file_name: str):
        self.file_name = file_name
        self.report = ImportReport()
        self.members: dict[str, int] = {}
        for pk, siren, insee in Member.objects.values_list("pk", "siren", "insee_code"):
            if siren:
                self.members[siren] = pk
            if insee:
                self.members.setdefault(insee.upper(), pk)
        self.services = {s.code: s for s in Service.objects.all()}

    def error(self, line: int | None, field: str, message: str) -> None:
        self.report.add_error(RowError(self.file_name, line, field, message))

    def run(self, content: bytes, *, user=None) -> ImportReport:
        try:
            table = read_table(self.file_name, content)
        except TabularError as error:
            self.report.add_error(error.error)
            return self.report
        self.report.rows = len(table.rows)
        self.report.extend(table.errors)
        missing = [
            name
            for name, (required, _h) in COLUMNS.items()
            if required and name not in table.headers
        ]
        for name in missing:
            self.error(table.header_line, name, _("Colonne obligatoire absente."))
        for name in table.headers:
            if name not in COLUMNS:
                self.error(
                    table.header_line,
                    name,
                    _("Colonne inconnue. Colonnes attendues : %(c)s.") % {"c": ", ".join(COLUMNS)},
                )
        if missing:
            return self.report
        if not table.rows:
            self.error(None, "", _("Le fichier ne contient aucune ligne à importer."))
        readings = [r for r in (self.clean(row) for row in table.rows) if r is not None]
        self.check_subscriptions(readings)
        self.check_overlaps(readings)
        if self.report.ok:
            self.apply(readings, user=user)
        self.report.errors.sort(key=lambda e: e.line or 0)
        return self.report

    def clean(self, row) -> Reading | None:
        ok = True
        code = str(row.get("membre")).strip().upper()
        member_id = self.members.get(code.zfill(5) if code.isdigit() and len(code) == 4 else code)
        if member_id is None:
            self.error(row.line, "membre", _("Membre inconnu : « %(c)s ».") % {"c": code})
            ok = False
        service = self.services.get(str(row.get("service")).strip().lower())
        if service is None:
            self.error(
                row.line, "service", _("Service inconnu : « %(c)s ».") % {"c": row.get("service")}
            )
            ok = False
        unit = str(row.get("unite")).strip()
        if service is not None and unit and unit != service.unit:
            self.error(
                row.line,
                "unite",
                _("Unité « %(u)s » : le service « %(s)s » se compte en %(e)s (%(code)s).")
                % {
                    "u": unit,
                    "s": service.name,
                    "e": service.get_unit_display(),
                    "code": service.unit,
                },
            )
            ok = False
        try:
            period, year, month = parse_period(row.get("periode"))
        except ValueError as error:
            self.error(row.line, "periode", str(error))
            ok = False
        try:
            quantity = parse_quantity(row.get("quantite"))
        except ValueError as error:
            self.error(row.line, "quantite", str(error))
            ok = False
        if not ok:
            return None
        return Reading(
            row.line,
            member_id,
            service.pk,
            period,
            year,
            month,
            quantity,
            str(row.get("commentaire"))[:300],
        )

    def check_subscriptions(self, readings: list[Reading]) -> None:
        spans: dict[tuple[int, int], list[tuple[dt.date, dt.date | None]]] = {}
        subscriptions = Subscription.objects.filter(service_id__in={r.service_id for r in readings})
        for member_id, service_id, start, end in subscriptions.values_list(
            "member_id", "service_id", "start_date", "end_date"
        ):
            spans.setdefault((member_id, service_id), []).append((start, end))
        seen: dict[tuple, int] = {}
        for r in readings:
            key = (r.member_id, r.service_id, r.period, r.year, r.month)
            if key in seen:
                self.error(
                    r.line,
                    "periode",
                    _("Ligne en double : même membre, service et période qu'à la ligne %(l)s.")
                    % {"l": seen[key]},
                )
                continue
            seen[key] = r.line
            first = dt.date(r.year, r.month, 1)
            last = period_last_day(r.period, r.year, r.month)
            if not any(
                start <= last and (end is None or end >= first)
                for start, end in spans.get((r.member_id, r.service_id), [])
            ):
                self.error(
                    r.line,
                    "periode",
                    _("Le membre ne souscrit pas à ce service sur cette période."),
                )

    def check_overlaps(self, readings: list[Reading]) -> None:
        """A reading may not overlap one of another period kind (months and a quarter, a
        quarter and the year...), recorded already or earlier in the file."""
        taken: dict[tuple[int, int, int], list[tuple[str, int, int | None]]] = {}
        for member_id, service_id, period, year, month in UsageRecord.objects.filter(
            member_id__in={r.member_id for r in readings},
            service_id__in={r.service_id for r in readings},
            year__in={r.year for r in readings},
        ).values_list("member_id", "service_id", "period", "year", "month"):
            taken.setdefault((member_id, service_id, year), []).append((period, month, None))
        for r in readings:
            same = taken.setdefault((r.member_id, r.service_id, r.year), [])
            for period, month, line in same:
                if period != r.period and periods_overlap(period, month, r.period, r.month):
                    self.error(
                        r.line, "periode", usage_overlap_message(period, r.year, month, line=line)
                    )
                    break
            else:
                same.append((r.period, r.month, r.line))

    @transaction.atomic
    def apply(self, readings: list[Reading], *, user=None) -> None:
        existing = {
            (u.member_id, u.service_id, u.period, u.year, u.month): u
            for u in UsageRecord.objects.select_for_update().filter(
                service_id__in={r.service_id for r in readings},
                year__in={r.year for r in readings},
                member_id__in={r.member_id for r in readings},
            )
        }
        new, changed = [], []
        now = timezone.now()
        for r in readings:
            record = existing.get((r.member_id, r.service_id, r.period, r.year, r.month))
            if record is None:
                new.append(
                    UsageRecord(
                        member_id=r.member_id,
                        service_id=r.service_id,
                        period=r.period,
                        year=r.year,
                        month=r.month,
                        quantity=r.quantity,
                        source=UsageSource.IMPORT,
                        recorded_by=user,
                        note=r.note,
                    )
                )
                self.report.count("created")
            elif record.quantity == r.quantity:
                self.report.count("unchanged")
            else:
                record.quantity, record.source, record.recorded_by, record.note = (
                    r.quantity,
                    UsageSource.IMPORT,
                    user,
                    r.note,
                )
                record.updated_at = now
                changed.append(record)
                self.report.count("updated")
        UsageRecord.objects.bulk_create(new, batch_size=2000)
        UsageRecord.objects.bulk_update(
            changed, ["quantity", "source", "recorded_by", "note", "updated_at"], batch_size=2000
        )


def import_usage(*, file_name: str, content: bytes, user=None) -> ImportReport:
    return UsageImport(file_name).run(content, user=user)
