"""Reads of metering: usage lists and recent imports."""

from mutualis.metering.models import UsageImportJob, UsageRecord


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


def recent_imports(limit: int = 20):
    return UsageImportJob.objects.defer("content").select_related("created_by")[:limit]


def import_detail(*, pk: int) -> UsageImportJob:
    return UsageImportJob.objects.defer("content").get(pk=pk)
