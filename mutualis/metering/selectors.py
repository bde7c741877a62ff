"""Reads of metering: usage lists."""

from mutualis.metering.models import UsageRecord


def usage_list(*, user, year=None, service=None, search: str = ""):
    records = (
        UsageRecord.objects.visible_to(user)
        .select_related("member", "service", "recorded_by")
        .order_by("-year", "-month", "member__name", "service__name", "pk")
    )
    if year:
        records = records.filter(year=year)
    if service is not None:
        records = records.filter(service=service)
    if search:
        records = records.filter(member__name__icontains=search)
    return records
