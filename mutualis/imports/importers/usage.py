"""Usage files (consommations): one reading per row.

Every row is checked (unknown member or service, unit mismatch, a quantity that does not fit,
period outside the subscription, duplicate, period overlapping a reading of another kind:
months and a quarter, a quarter and the year). A reading replaces the one of the same member,
service and period, so a file imported twice changes nothing the second time. A reading ten
times the previous one, or under a tenth of it, is imported and listed in the report.
"""

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mutualis.catalog.models import Service, Subscription
from mutualis.core.numbers import MAX_YEAR, MIN_YEAR, DecimalBounds, format_number, parse_decimal
from mutualis.core.roles import Capability
from mutualis.core.tabular import ImportReport, TableRow
from mutualis.imports.importers.base import (
    CREATED,
    UNCHANGED,
    UPDATED,
    Column,
    FieldError,
    Importer,
    MemberIndex,
    member_column,
    parse_text,
)
from mutualis.metering.checks import is_unusual, previous_quantities
from mutualis.metering.models import Period, UsageRecord, UsageSource, period_last_day
from mutualis.metering.services import periods_overlap, usage_overlap_message

QUANTITY = DecimalBounds.of_field(UsageRecord._meta.get_field("quantity"))
NOTE_LENGTH = UsageRecord._meta.get_field("note").max_length


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

    @property
    def record_key(self) -> tuple[int, int, str, int, int]:
        return (self.member_id, self.service_id, self.period, self.year, self.month)


def parse_period(value: Any) -> tuple[str, int, int]:
    """2026-03 or 03/2026 (a month), 2026-T1 or T1 2026 (a quarter), 2026 (the year)."""
    if isinstance(value, dt.date):
        year, period, month = value.year, Period.MONTH, value.month
    else:
        text = str(value).strip().upper().replace(" ", "")[:20]
        if re.fullmatch(r"\d{4}", text):
            year, period, month = int(text), Period.YEAR, 1
        elif match := re.fullmatch(r"(\d{4})-?T([1-4])|T([1-4])-?(\d{4})", text):
            year = int(match.group(1) or match.group(4))
            period, month = Period.QUARTER, 3 * int(match.group(2) or match.group(3)) - 2
        elif (match := re.fullmatch(r"(\d{4})-(\d{1,2})|(\d{1,2})/(\d{4})", text)) and (
            1 <= int(match.group(2) or match.group(3)) <= 12
        ):
            year = int(match.group(1) or match.group(4))
            period, month = Period.MONTH, int(match.group(2) or match.group(3))
        else:
            raise FieldError(
                _("« %(value)s » n'est pas une période (2026-03, 2026-T1 ou 2026).")
                % {"value": str(value)[:30]}
            )
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise FieldError(
            _("Année %(year)s : elle doit être comprise entre %(min)s et %(max)s.")
            % {"year": year, "min": MIN_YEAR, "max": MAX_YEAR}
        )
    return period, year, month


def period_text(period: str, year: int, month: int) -> str:
    """How files write a period: 2026-03, 2026-T1 or 2026 (read back by `parse_period`)."""
    if period == Period.YEAR:
        return f"{year:04d}"
    if period == Period.QUARTER:
        return f"{year:04d}-T{(month - 1) // 3 + 1}"
    return f"{year:04d}-{month:02d}"


class UsageImporter(Importer):
    kind = "usage"
    capability = Capability.MANAGE_BILLING
    columns = (
        member_column("213300635"),
        Column("service", True, gettext_lazy("Code du service (ex. sauvegarde)."), "sauvegarde"),
        Column(
            "periode",
            True,
            gettext_lazy("2026-03 (mois), 2026-T1 (trimestre) ou 2026 (année)."),
            "2026-03",
        ),
        Column(
            "quantite",
            True,
            gettext_lazy(
                "Quantité dans l'unité du service, positive, 3 décimales au plus (12,5 ou 12.5)."
            ),
            "120,5",
        ),
        Column(
            "unite",
            False,
            gettext_lazy("Code de l'unité, vérifié s'il est donné (ex. gb, pupil)."),
            "gb",
        ),
        Column("commentaire", False, gettext_lazy("Texte libre."), ""),
    )

    def prepare(self, rows: list[TableRow]) -> None:
        self.members = MemberIndex()
        self.services = {s.code: s for s in Service.objects.all()}

    def clean(self, row: TableRow) -> Reading | None:
        errors_before = len(self.errors)
        member = self.member_of(row, self.members)
        code = (self.field(row, "service", parse_text, required=True, max_length=50) or "").lower()
        service = self.services.get(code)
        if code and service is None:
            self.error(row.line, "service", _("Service inconnu : « %(code)s ».") % {"code": code})
        unit = self.field(row, "unite", parse_text, max_length=50)
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
        period = self.field(row, "periode", parse_period)
        quantity = self.field(row, "quantite", parse_decimal, QUANTITY)
        note = self.field(row, "commentaire", parse_text, max_length=NOTE_LENGTH)
        if len(self.errors) > errors_before or None in (member, service, period, quantity):
            return None
        kind, year, month = period
        return Reading(row.line, member.pk, service.pk, kind, year, month, quantity, note or "")

    def key(self, cleaned: Reading):
        return cleaned.record_key, "membre, service, periode"

    def check(self, cleaned_rows) -> None:
        readings = list(cleaned_rows)
        self._check_subscriptions(readings)
        self._check_overlaps(readings)
        self._list_unusual(readings)

    def _check_subscriptions(self, readings: list[Reading]) -> None:
        spans: dict[tuple[int, int], list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
        subscriptions = Subscription.objects.filter(
            service_id__in={r.service_id for r in readings},
            member_id__in={r.member_id for r in readings},
        )
        for member_id, service_id, start, end in subscriptions.values_list(
            "member_id", "service_id", "start_date", "end_date"
        ):
            spans[(member_id, service_id)].append((start, end))
        for r in readings:
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

    def _check_overlaps(self, readings: list[Reading]) -> None:
        """A reading may not overlap one of another period kind (months and a quarter, a
        quarter and the year...), recorded already or earlier in the file."""
        taken: dict[tuple[int, int, int], list[tuple[str, int, int | None]]] = defaultdict(list)
        for member_id, service_id, period, year, month in UsageRecord.objects.filter(
            member_id__in={r.member_id for r in readings},
            service_id__in={r.service_id for r in readings},
            year__in={r.year for r in readings},
        ).values_list("member_id", "service_id", "period", "year", "month"):
            taken[(member_id, service_id, year)].append((period, month, None))
        for r in readings:
            same = taken[(r.member_id, r.service_id, r.year)]
            for period, month, line in same:
                if period != r.period and periods_overlap(period, month, r.period, r.month):
                    self.error(
                        r.line, "periode", usage_overlap_message(period, r.year, month, line=line)
                    )
                    break
            else:
                same.append((r.period, r.month, r.line))

    def _list_unusual(self, readings: list[Reading]) -> None:
        previous = previous_quantities(r.record_key for r in readings)
        for r in readings:
            before = previous.get(r.record_key)
            if is_unusual(before, r.quantity):
                self.warn(
                    r.line,
                    "quantite",
                    _(
                        "%(quantity)s : dix fois ou plus, ou un dixième ou moins, du relevé "
                        "précédent (%(previous)s). Vérifiez cette quantité."
                    )
                    % {"quantity": format_number(r.quantity), "previous": format_number(before)},
                )

    @transaction.atomic
    def apply_all(self, cleaned_rows: list[Reading], report: ImportReport) -> None:
        """Many readings at once: one query to find those they replace, then bulk writes."""
        existing = {
            (u.member_id, u.service_id, u.period, u.year, u.month): u
            for u in UsageRecord.objects.select_for_update().filter(
                service_id__in={r.service_id for r in cleaned_rows},
                year__in={r.year for r in cleaned_rows},
                member_id__in={r.member_id for r in cleaned_rows},
            )
        }
        new, changed = [], []
        now = timezone.now()
        for r in cleaned_rows:
            record = existing.get(r.record_key)
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
                        recorded_by=self.user,
                        note=r.note,
                    )
                )
                report.count(CREATED)
            elif record.quantity == r.quantity:
                report.count(UNCHANGED)
            else:
                record.quantity, record.source, record.recorded_by, record.note = (
                    r.quantity,
                    UsageSource.IMPORT,
                    self.user,
                    r.note,
                )
                record.updated_at = now
                changed.append(record)
                report.count(UPDATED)
        UsageRecord.objects.bulk_create(new, batch_size=2000)
        UsageRecord.objects.bulk_update(
            changed, ["quantity", "source", "recorded_by", "note", "updated_at"], batch_size=2000
        )
