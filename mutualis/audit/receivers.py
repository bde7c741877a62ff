"""Stamps each history row with the client's address, and records the bulk writes."""

from django.contrib.contenttypes.models import ContentType
from django.dispatch import receiver
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from mutualis.core.security import client_ip
from mutualis.core.signals import bulk_written


def _request():
    return getattr(HistoricalRecords.context, "request", None)


def _address(request) -> str | None:
    if request is None:
        return None
    return client_ip(request) or None


@receiver(pre_create_historical_record, dispatch_uid="audit_client_address")
def stamp_address(sender, history_instance, **kwargs):
    history_instance.ip_address = _address(_request())


@receiver(bulk_written, dispatch_uid="audit_bulk_written")
def record_bulk_write(sender, parent, action: str, count: int, detail=None, **kwargs):
    from mutualis.audit.models import BulkEvent

    request = _request()
    user = getattr(request, "user", None)
    BulkEvent.objects.create(
        content_type=ContentType.objects.get_for_model(type(parent)),
        object_id=parent.pk,
        action=str(action)[:200],
        count=count,
        detail=detail or {},
        user=user if getattr(user, "is_authenticated", False) else None,
        ip_address=_address(request),
    )
