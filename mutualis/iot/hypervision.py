"""Reads of the hypervision screen: what needs action now, in a fixed number of queries
whatever the size of the fleet (each list is counted, and its first rows shown).

- silent sensors: active, and nothing heard for IOT_SILENT_FACTOR × their interval;
- low batteries: the latest battery value (kept on the measure) under the threshold;
- gateways not seen for IOT_GATEWAY_SILENT_MINUTES;
- quarantined messages: counts by reason over 24 hours, the latest ones; a message of a
  known device belongs to that device's sensor (member, kind, commune, building), one of an
  unknown device to no one: it is shown only when nothing is filtered;
- open alerts (mutualis.alerts): unresolved, acknowledged or not, the gravest first;
- ingestion: values received in the last hour, and how late (received − measured).
"""

import datetime as dt
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.conf import settings
from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    Subquery,
)
from django.utils import timezone

from mutualis.alerts.selectors import hypervision_alerts
from mutualis.iot.models import (
    Device,
    Gateway,
    Measure,
    Quantity,
    QuarantinedMessage,
    QuarantineReason,
    Reading,
    Sensor,
)

SHOWN = 50  # rows of each list; the count says how many in all
QUARANTINE_SHOWN = 10


@dataclass(frozen=True)
class Filters:
    member: object = None
    kind: str = ""
    commune: object = None
    building: str = ""

    def sensors(self, prefix: str = "") -> Q:
        """The filters as conditions on a sensor (`prefix`: the path to it)."""
        q = Q()
        if self.member is not None:
            q &= Q(**{f"{prefix}member": self.member})
        if self.kind:
            q &= Q(**{f"{prefix}kind": self.kind})
        if self.commune is not None:
            q &= Q(**{f"{prefix}commune": self.commune})
        if self.building:
            q &= Q(**{f"{prefix}building__icontains": self.building})
        return q

    @property
    def any(self) -> bool:
        return (
            self.member is not None
            or bool(self.kind)
            or self.commune is not None
            or bool(self.building)
        )


@dataclass
class Listing:
    count: int
    rows: list


@dataclass
class Ingestion:
    values: int
    per_minute: float
    mean_lag: dt.timedelta | None
    max_lag: dt.timedelta | None


@dataclass
class Hypervision:
    now: dt.datetime
    silent: Listing
    batteries: Listing
    gateways: Listing
    quarantine_counts: list[tuple[str, int]]
    quarantine_total: int
    quarantine_latest: list
    alerts: Listing
    ingestion: Ingestion
    settings: dict = field(default_factory=dict)


def _listing(queryset) -> Listing:
    return Listing(count=queryset.count(), rows=list(queryset[:SHOWN]))


def silent_sensors(filters: Filters, now: dt.datetime) -> Listing:
    """Active sensors heard last more than N × their interval ago (or never heard)."""
    factor = settings.IOT_SILENT_FACTOR
    sensors = Sensor.objects.filter(filters.sensors(), active=True)
    intervals = sorted(
        set(sensors.order_by().values_list("reporting_minutes", flat=True).distinct())
    )
    overdue = [
        Q(reporting_minutes=m, last_seen_at__lt=now - dt.timedelta(minutes=factor * m))
        for m in intervals
    ]
    silent = sensors.filter(reduce(or_, overdue, Q(last_seen_at__isnull=True)))
    return _listing(
        silent.select_related("member", "commune").order_by(
            F("last_seen_at").asc(nulls_first=True), "pk"
        )
    )


def low_batteries(filters: Filters) -> Listing:
    threshold = settings.IOT_BATTERY_LOW_MILLIVOLTS / 1000
    measures = Measure.objects.filter(
        filters.sensors("sensor__"),
        quantity=Quantity.BATTERY,
        sensor__active=True,
        last_value__lt=threshold,
    )
    return _listing(
        measures.select_related("sensor__member", "sensor__commune").order_by("last_value", "pk")
    )


def lost_gateways(filters: Filters, now: dt.datetime) -> Listing:
    """Gateways not seen lately (the sensor kind and building do not apply to them)."""
    limit = now - dt.timedelta(minutes=settings.IOT_GATEWAY_SILENT_MINUTES)
    gateways = Gateway.objects.filter(Q(last_seen_at__lt=limit) | Q(last_seen_at__isnull=True))
    if filters.member is not None:
        gateways = gateways.filter(owner=filters.member)
    if filters.commune is not None:
        gateways = gateways.filter(commune=filters.commune)
    return _listing(
        gateways.select_related("owner", "commune").order_by(
            F("last_seen_at").asc(nulls_first=True), "pk"
        )
    )


def ingestion(filters: Filters, now: dt.datetime) -> Ingestion:
    """Values received in the last hour and their delay (received − measured). Values
    measured more than a day before are left out: the time partitions bound the scan."""
    lag = ExpressionWrapper(F("received_at") - F("time"), output_field=DurationField())
    readings = Reading.objects.filter(
        received_at__gte=now - dt.timedelta(hours=1), time__gte=now - dt.timedelta(days=1)
    )
    if filters.any:
        readings = readings.filter(filters.sensors("sensor__"))
    figures = readings.aggregate(n=Count("pk"), mean=Avg(lag), high=Max(lag))
    return Ingestion(
        values=figures["n"],
        per_minute=figures["n"] / 60,
        mean_lag=figures["mean"],
        max_lag=figures["high"],
    )


def quarantined(filters: Filters):
    """The messages set aside that the filters keep: with a filter, those of known devices
    whose sensor matches (a semi-join on the devices, the same query whatever their number);
    each annotated with its device's member (`member_name`, empty for an unknown device)."""
    messages = QuarantinedMessage.objects.all()
    if filters.any:
        devices = Device.objects.filter(filters.sensors("sensor__")).values("dev_eui")
        messages = messages.filter(dev_eui__in=devices)
    owner = Device.objects.filter(dev_eui=OuterRef("dev_eui")).values("sensor__member__name")
    return messages.annotate(member_name=Subquery(owner[:1]))


def open_alerts(filters: Filters, user) -> Listing:
    return _listing(hypervision_alerts(user=user, sensors=filters.sensors("sensor__")))


def hypervision(filters: Filters, now: dt.datetime | None = None, *, user=None) -> Hypervision:
    """The screen's figures and lists. `user`: whose alerts are shown (the alerts' own
    visibility); none without a user."""
    now = now or timezone.now()
    day_ago = now - dt.timedelta(hours=24)
    labels = dict(QuarantineReason.choices)
    messages = quarantined(filters)
    counts = (
        messages.filter(received_at__gte=day_ago)
        .values_list("reason")
        .annotate(n=Count("pk"))
        .order_by()
    )
    recent = sorted(((str(labels.get(r, r)), n) for r, n in counts), key=lambda c: -c[1])
    return Hypervision(
        now=now,
        silent=silent_sensors(filters, now),
        batteries=low_batteries(filters),
        gateways=lost_gateways(filters, now),
        quarantine_counts=recent,
        quarantine_total=sum(n for _label, n in recent),
        quarantine_latest=list(messages.order_by("-received_at", "-pk")[:QUARANTINE_SHOWN]),
        alerts=open_alerts(filters, user) if user is not None else Listing(0, []),
        ingestion=ingestion(filters, now),
        settings={
            "factor": settings.IOT_SILENT_FACTOR,
            "battery": settings.IOT_BATTERY_LOW_MILLIVOLTS / 1000,
            "gateway_minutes": settings.IOT_GATEWAY_SILENT_MINUTES,
        },
    )
