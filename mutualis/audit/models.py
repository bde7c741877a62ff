"""The audit trail: who changed what, when, and from where, for the money-relevant and
membership models of every app.

django-simple-history keeps one history table per tracked model (a copy of the row at each
save or delete, with the user, the date and the kind of change); the tables all live in this
app (`app="mutualis.audit"`), so the other apps keep their migrations. Each record also keeps
the client's address (core.security.client_ip). Writes made in bulk (charge lines by COPY,
titres inserted in one statement, imports) are not copied row by row: the run or job they
belong to records one `BulkEvent` instead (core.signals.bulk_written).
"""

import simple_history
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mutualis.billing.models import AllocationRun, Invoice, Tariff
from mutualis.catalog.models import Subscription
from mutualis.core.models import User
from mutualis.governance.models import Body, BodyMember, Deliberation, Meeting
from mutualis.members.models import AgentAccess, Agreement, Decision, Member, Membership
from mutualis.metering.models import UsageRecord
from mutualis.purchasing.models import Lot, Offer, Order
from mutualis.staffing.models import StaffingAgreement, WorkLogEntry


class AuditedChange(models.Model):
    """What every history row adds to simple-history's own columns."""

    ip_address = models.GenericIPAddressField(_("adresse"), null=True, blank=True)

    class Meta:
        abstract = True


class AuditedRecords(HistoricalRecords):
    """A login only stamps `last_login`: that is not a change of the account."""

    def post_save(self, instance, created, using=None, **kwargs):
        fields = kwargs.get("update_fields")
        if not created and fields is not None and set(fields) <= {"last_login"}:
            return
        super().post_save(instance, created, using=using, **kwargs)


# Model → fields left out of its history (large snapshots, secrets, bookkeeping of jobs).
JOB_FIELDS = ["progress", "progress_done", "progress_total", "heartbeat_at", "worker", "task_id"]
TRACKED: dict[type[models.Model], list[str]] = {
    Member: ["search_name"],
    Membership: [],
    Decision: [],
    Agreement: [],
    AgentAccess: [],
    User: ["password", "last_login"],
    Subscription: [],
    UsageRecord: [],
    Tariff: [],
    AllocationRun: [
        "members_snapshot",
        "subscriptions_snapshot",
        "usage_snapshot",
        *JOB_FIELDS,
    ],
    Invoice: [],
    Lot: [],
    Offer: [],
    Order: [],
    StaffingAgreement: [],
    WorkLogEntry: [],
    Body: [],
    BodyMember: [],
    Meeting: [],
    Deliberation: [],
}

for _model, _excluded in TRACKED.items():
    simple_history.register(
        _model,
        app="mutualis.audit",
        records_class=AuditedRecords,
        bases=[AuditedChange],
        excluded_fields=_excluded,
    )


class BulkEvent(models.Model):
    """A write made in bulk, recorded once on the object it belongs to (a run, an import)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    action = models.CharField(_("action"), max_length=200)
    count = models.PositiveIntegerField(_("lignes"), default=0)
    detail = models.JSONField(_("détail"), default=dict, blank=True)
    at = models.DateTimeField(_("le"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    ip_address = models.GenericIPAddressField(_("adresse"), null=True, blank=True)

    class Meta:
        verbose_name = _("écriture groupée")
        verbose_name_plural = _("écritures groupées")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.action} ({self.count})"
