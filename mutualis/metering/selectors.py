"""Reads of metering: usage lists (only the columns the pages show, labels looked up once)."""

from mutualis.catalog.models import Service
from mutualis.metering.models import UsageRecord

# What the usage lists show: a record's period, quantity and origin, its member's and its
# service's name and unit. Loading whole members and services cost more than the query.
USAGE_LIST_FIELDS = (
    "period",
    "year",
    "month",
    "quantity",
    "source",
    "member__name",
    "service__name",
    "service__unit",
)


def usage_list(*, user, year=None, service=None, search: str = ""):
    records = (
        UsageRecord.objects.visible_to(user)
        .select_related("member", "service")
        .only(*USAGE_LIST_FIELDS)
        .order_by("-year", "-month", "member__name", "service__name", "pk")
    )
    if year:
        records = records.filter(year=year)
    if service is not None:
        records = records.filter(service=service)
    if search:
        records = records.filter(member__name__icontains=search)
    return records


def member_usage(member):
    """A member's readings, newest first (« Mon espace »)."""
    return (
        UsageRecord.objects.filter(member=member)
        .select_related("service")
        .only(*(f for f in USAGE_LIST_FIELDS if not f.startswith("member__")))
        .order_by("-year", "-month", "service__name", "pk")
    )


def with_labels(records):
    """The records of a page with ``unit_label`` and ``source_label`` set, each choice's label
    translated once per page rather than once per line (``get_FOO_display`` rebuilds and
    translates every choice of the field at each call)."""
    records = list(records)
    units = _labels(Service, "unit")
    sources = _labels(UsageRecord, "source")
    for record in records:
        record.unit_label = units.get(record.service.unit, record.service.unit)
        record.source_label = sources.get(record.source, record.source)
    return records


def _labels(model, field: str) -> dict[str, str]:
    return {value: str(label) for value, label in model._meta.get_field(field).flatchoices}
