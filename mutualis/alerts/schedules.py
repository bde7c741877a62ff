"""Recurring work of the alerts (run by `mutualis schedule run`)."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from mutualis.alerts import services
from mutualis.alerts.models import DetectionRun
from mutualis.core.jobs import JobStatus, fail_abandoned, job_enqueue
from mutualis.core.schedule import recurring


@recurring("alerts-detection", every=dt.timedelta(hours=1), label=_("Détection des alertes"))
def detection(now: dt.datetime) -> str:
    """Queues a pass of the detection rules, unless one is still waiting or running."""
    fail_abandoned(DetectionRun)  # a pass whose worker died does not block the next ones
    busy = DetectionRun.objects.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
    if busy.exists():
        return "passage précédent pas encore terminé"
    run = DetectionRun.objects.create(until=now)
    job_enqueue(run)
    return f"passage n° {run.pk} mis en file"


@recurring(
    "alerts-escalation",
    every=dt.timedelta(minutes=10),
    label=_("Relance des alertes que personne n'a prises en compte"),
)
def escalation(now: dt.datetime) -> str:
    return f"{services.alerts_escalate(now=now)} alerte(s) relancée(s)"


@recurring(
    "alerts-retention",
    every=dt.timedelta(days=1),
    label=_("Effacement de ce qui a passé sa durée de conservation (consentements)"),
)
def retention(now: dt.datetime) -> str:
    return f"{services.purge_expired(now=now)} élément(s) effacé(s)"
