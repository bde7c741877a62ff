"""The platform billed through the engine: each month, the sensors of a member that reported
at least once that month become usage of the catalogue service « Plateforme objets
connectés » (code `iot`); the service's tariff prices them in the year's run, like any other
service. No side path.

Idempotent: posting a month again replaces its figures, never adds to them; a member whose
sensors fell silent goes back to zero.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from mutualis.catalog.models import Service, Subscription
from mutualis.catalog.services import subscription_create
from mutualis.iot.models import Reading
from mutualis.members.models import Member
from mutualis.metering.models import Period, UsageRecord, UsageSource
from mutualis.metering.services import UsageReading, usage_record_set

SERVICE_CODE = "iot"
# The metering sources have no « objets connectés » yet: the platform posts as a machine does.
SOURCE = UsageSource.API


@dataclass
class UsageReport:
    year: int
    month: int
    outcomes: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    sensors: dict[int, int] = field(default_factory=dict)  # member id → active sensors
    errors: list[str] = field(default_factory=list)


def _month(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    first = dt.datetime(year, month, 1, tzinfo=dt.UTC)
    following = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=dt.UTC)
    return first, following


def active_sensors(year: int, month: int) -> dict[int, int]:
    """Member id → how many of its sensors sent at least one value in the month (UTC)."""
    first, following = _month(year, month)
    return dict(
        Reading.objects.filter(time__gte=first, time__lt=following)
        .values("sensor__member_id")
        .annotate(sensors=Count("sensor_id", distinct=True))
        .values_list("sensor__member_id", "sensors")
    )


@transaction.atomic
def iot_usage_post(year: int, month: int, *, recorded_by=None) -> UsageReport:
    """Records the month's active sensors of each member as one monthly usage record of the
    platform's service; a member without a subscription to it is subscribed from the month."""
    report = UsageReport(year, month)
    service = Service.objects.filter(code=SERVICE_CODE).first()
    if service is None:
        report.errors.append(
            _("Le catalogue n'a pas de service « %(code)s » : rien n'est facturé.")
            % {"code": SERVICE_CODE}
        )
        return report
    first_day = dt.date(year, month, 1)
    last_day = _month(year, month)[1].date() - dt.timedelta(days=1)
    counts = active_sensors(year, month)
    previous = set(
        UsageRecord.objects.filter(
            service=service, period=Period.MONTH, year=year, month=month
        ).values_list("member_id", flat=True)
    )
    members = Member.objects.in_bulk(set(counts) | previous)
    for member_id in sorted(set(counts) | previous):
        member = members[member_id]
        quantity = counts.get(member_id, 0)
        covered = Subscription.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=first_day),
            member=member,
            service=service,
            start_date__lte=last_day,
        ).exists()
        try:
            if not covered and quantity:
                subscription_create(member=member, service=service, start_date=first_day)
            _record, outcome = usage_record_set(
                reading=UsageReading(
                    member=member,
                    service=service,
                    period=Period.MONTH,
                    year=year,
                    month=month,
                    quantity=Decimal(quantity),
                ),
                source=SOURCE,
                recorded_by=recorded_by,
                note=_("Capteurs actifs %(month)02d/%(year)s") % {"month": month, "year": year},
            )
        except ValidationError as error:
            report.errors.append(f"{member.name} : {' '.join(error.messages)}")
            continue
        report.outcomes[outcome] += 1
        report.sensors[member_id] = quantity
    return report
