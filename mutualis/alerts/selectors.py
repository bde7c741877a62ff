"""Reads of the alerts: lists by visibility, and the series that triggered an alert."""

from __future__ import annotations

import datetime as dt
import itertools

from django.db.models import Case, Q, Value, When
from django.utils import timezone

from mutualis.alerts.models import Alert, AlertStatus, MonitoringConsent, Severity
from mutualis.iot.models import UNITS, Quantity, Reading

MAX_POINTS = 24 * 31


def alert_list(*, user, member=None, status: str = ""):
    alerts = Alert.objects.visible_to(user).select_related("sensor", "member")
    if member is not None:
        alerts = alerts.filter(member=member)
    if status in AlertStatus.values:
        alerts = alerts.filter(status=status)
    return alerts.order_by("status", "-opened_at", "-pk")


def alert_series(alert: Alert) -> tuple[list[tuple[dt.datetime, float]], str]:
    """The series behind the alert, over its window: hourly use (L) for a water register,
    else the raw values; with its unit."""
    measure = alert.sensor.measures.order_by("quantity").first()
    water = alert.sensor.measures.filter(quantity=Quantity.WATER_VOLUME).first()
    measure = water or measure
    if measure is None:
        return [], ""
    rows = list(
        Reading.objects.filter(
            measure=measure, time__gte=alert.window_start, time__lte=alert.window_end
        )
        .order_by("time")
        .values_list("time", "value")[: MAX_POINTS + 1]
    )
    rows = [(timezone.localtime(t), v) for t, v in rows]
    if water is None:
        return rows, UNITS[measure.quantity]
    use = []
    for (t0, v0), (t1, v1) in itertools.pairwise(rows):
        hours = max((t1 - t0).total_seconds() / 3600, 1.0)
        use.append((t1, max(0.0, (v1 - v0) * 1000 / hours)))
    return use, "L/h"


def sector_series(alert: Alert) -> list[tuple[dt.date, float, float, float]]:
    """For a network balance alert: per local day of its window, the district meter's volume,
    the sum of the meters behind it and the loss (litres); empty for another alert."""
    from mutualis.alerts.detection_energy import volumes
    from mutualis.alerts.models import Cause, MeterSector
    from mutualis.alerts.readings import Grid, registers

    if alert.cause != Cause.NETWORK_BALANCE:
        return []
    sector = MeterSector.objects.filter(district=alert.sensor_id).first()
    if sector is None:
        return []
    first = timezone.localtime(alert.window_start).date()
    last = timezone.localtime(alert.window_end).date()
    days = max((last - first).days, 1)
    grid = Grid(timezone.make_aware(dt.datetime.combine(first, dt.time())), days)
    behind = list(sector.behind.values_list("pk", flat=True))
    index = registers([sector.district_id, *behind], grid)
    block = volumes(index, grid.start.weekday(), 1000)
    flow, known = block.by_day()
    daily = flow.sum(axis=2)
    whole = known.all(axis=2)
    rows = []
    for d in range(days):
        if whole[:, d].all():
            district, metered = float(daily[0, d]), float(daily[1:, d].sum())
            rows.append((first + dt.timedelta(days=d), district, metered, district - metered))
    return rows


def consents_for(*, user, member):
    return MonitoringConsent.objects.visible_to(user).filter(member=member).select_related("sensor")


def hypervision_alerts(*, user, sensors: Q | None = None):
    """The unresolved alerts (open or acknowledged) the user sees, for the IoT hypervision:
    the gravest first, then the oldest; `sensors`: conditions on the alert's sensor, written
    from the alert (`sensor__kind`, `sensor__commune`, `member`…). One query to read, with
    the member and sensor joined."""
    gravity = Case(
        When(severity=Severity.CRITICAL, then=Value(0)),
        When(severity=Severity.WARNING, then=Value(1)),
        default=Value(2),
    )
    return (
        Alert.objects.visible_to(user)
        .unresolved()
        .filter(sensors or Q())
        .select_related("member", "sensor")
        .order_by(gravity, "opened_at", "pk")
    )
