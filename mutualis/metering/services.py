"""Writes on usage: one reading per member, service and period; a new one replaces it."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from mutualis.catalog.models import Service, Subscription
from mutualis.members.models import Member
from mutualis.metering.models import (
    PERIOD_MONTHS,
    Period,
    UsageRecord,
    period_label,
    period_last_day,
)


@dataclass(frozen=True)
class UsageReading:
    member: Member
    service: Service
    period: str
    year: int
    month: int
    quantity: Decimal
    unit: str = ""  # when given, it must be the service's unit


def usage_reading_errors(reading: UsageReading) -> dict[str, str]:
    """Every problem of one reading, by field; empty when it can be recorded."""
    errors: dict[str, str] = {}
    if reading.quantity < 0:
        errors["quantity"] = _("La quantité ne peut pas être négative.")
    if reading.unit and reading.unit != reading.service.unit:
        errors["unit"] = _(
            "Unité « %(unit)s » : le service « %(service)s » se compte en %(expected)s."
        ) % {
            "unit": reading.unit,
            "service": reading.service.name,
            "expected": reading.service.get_unit_display(),
        }
    if reading.period not in PERIOD_MONTHS:
        errors["period"] = _("Période inconnue : « %(period)s ».") % {"period": reading.period}
        return errors
    if not 1 <= reading.month <= 12 or (reading.month - 1) % PERIOD_MONTHS[reading.period]:
        errors["month"] = _("Le mois %(month)s ne commence pas un(e) %(period)s.") % {
            "month": reading.month,
            "period": Period(reading.period).label.lower(),
        }
        return errors
    first = dt.date(reading.year, reading.month, 1)
    last = period_last_day(reading.period, reading.year, reading.month)
    covering = Subscription.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=first),
        member=reading.member,
        service=reading.service,
        start_date__lte=last,
    )
    if not covering.exists():
        errors["period"] = _("%(member)s ne souscrit pas à « %(service)s » sur cette période.") % {
            "member": reading.member.name,
            "service": reading.service.name,
        }
        return errors
    others = UsageRecord.objects.filter(
        member=reading.member, service=reading.service, year=reading.year
    ).exclude(period=reading.period)
    for record in others.order_by("month", "pk"):
        if periods_overlap(record.period, record.month, reading.period, reading.month):
            errors["period"] = usage_overlap_message(record.period, record.year, record.month)
            break
    return errors


def periods_overlap(period: str, month: int, other_period: str, other_month: int) -> bool:
    """Whether two periods of the same year share a month."""
    return (
        month < other_month + PERIOD_MONTHS[other_period]
        and other_month < month + PERIOD_MONTHS[period]
    )


def usage_overlap_message(period: str, year: int, month: int, *, line: int | None = None) -> str:
    """Why a reading overlapping another one (of another period kind) is refused: the run
    would count the same consumption twice."""
    existing = _("relevé %(kind)s %(label)s") % {
        "kind": {
            Period.MONTH: _("mensuel"),
            Period.QUARTER: _("trimestriel"),
            Period.YEAR: _("annuel"),
        }[period],
        "label": period_label(period, year, month),
    }
    if line is not None:
        existing = _("%(reading)s de la ligne %(line)s") % {"reading": existing, "line": line}
    else:
        existing = _("%(reading)s déjà enregistré") % {"reading": existing}
    return _(
        "Cette période chevauche le %(existing)s pour ce membre et ce service : une "
        "consommation se relève par mois, par trimestre ou par année, sans chevauchement."
    ) % {"existing": existing}


@transaction.atomic
def usage_record_set(
    *, reading: UsageReading, source: str, recorded_by=None, note: str = ""
) -> tuple[UsageRecord, str]:
    """Records a reading; returns the record and "created", "replaced" or "unchanged"."""
    errors = usage_reading_errors(reading)
    if errors:
        raise ValidationError(errors)
    record, created = UsageRecord.objects.select_for_update().get_or_create(
        member=reading.member,
        service=reading.service,
        period=reading.period,
        year=reading.year,
        month=reading.month,
        defaults={
            "quantity": reading.quantity,
            "source": source,
            "recorded_by": recorded_by,
            "note": note,
        },
    )
    if created:
        return record, "created"
    if record.quantity == reading.quantity:
        return record, "unchanged"
    record.quantity = reading.quantity
    record.source = source
    record.recorded_by = recorded_by
    record.note = note
    record.save(update_fields=["quantity", "source", "recorded_by", "note", "updated_at"])
    return record, "replaced"
