"""Reads of the sensor referential and of the readings."""

from django.db.models import Count, OuterRef, Prefetch, Subquery

from mutualis.iot.models import (
    Device,
    Measure,
    QuarantinedMessage,
    QuarantineReason,
    Reading,
    Sensor,
)


def sensor_list(*, user, member=None, kind: str = "", commune=None, building: str = ""):
    current = Device.objects.filter(sensor=OuterRef("pk"), removed_on__isnull=True)
    sensors = (
        Sensor.objects.visible_to(user)
        .select_related("member", "commune")
        .annotate(dev_eui=Subquery(current.values("dev_eui")[:1]))
        .prefetch_related(Prefetch("measures", queryset=Measure.objects.order_by("quantity")))
        .order_by("member__name", "name", "pk")
    )
    if member is not None:
        sensors = sensors.filter(member=member)
    if kind:
        sensors = sensors.filter(kind=kind)
    if commune is not None:
        sensors = sensors.filter(commune=commune)
    if building:
        sensors = sensors.filter(building__icontains=building)
    return sensors


def latest_values(sensor: Sensor) -> list[tuple[Measure, Reading | None]]:
    """Each measure of the sensor with its most recent reading."""
    measures = list(sensor.measures.order_by("quantity"))
    latest = []
    for measure in measures:
        latest.append((measure, measure.readings.order_by("-time").first()))
    return latest


def quarantine_counts() -> list[tuple[str, int]]:
    """The messages set aside, by reason (its French label), most frequent first."""
    counts = QuarantinedMessage.objects.values_list("reason").annotate(n=Count("pk")).order_by()
    labels = dict(QuarantineReason.choices)
    return sorted(
        ((str(labels.get(reason, reason)), n) for reason, n in counts), key=lambda c: -c[1]
    )


def readings(*, user):
    return Reading.objects.visible_to(user).select_related("measure").order_by("-time", "-pk")
