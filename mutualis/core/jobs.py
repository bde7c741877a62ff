"""Background work, one pattern for all of it: imports, billing runs and whatever comes next.

A job is a row: queued → running → done or failed. Whatever happens, it ends in a final state:

- the work raises `JobFailure` for a refusal the user can act on (its French message is shown);
- any other exception fails the job with a French message for the user, and the traceback
  goes to the log;
- a job whose worker died (the process is gone, or it has given no sign of life for
  `JOB_STALE_AFTER_MINUTES`) or whose task ended without it is found by `fail_abandoned`,
  which every page that shows jobs calls, and marked failed.

Nothing is ever left « En cours ».
"""

import logging
import os
import socket
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import Any, ClassVar

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mutualis.core.models import TimeStampedModel

logger = logging.getLogger(__name__)


class JobStatus(models.TextChoices):
    QUEUED = "queued", gettext_lazy("En attente")
    RUNNING = "running", gettext_lazy("En cours")
    SUCCEEDED = "succeeded", gettext_lazy("Terminé")
    FAILED = "failed", gettext_lazy("Échoué")


class JobFailure(Exception):
    """The work refuses to go on, for a reason the user can act on (said in French)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Job(TimeStampedModel):
    """What every background job records. A concrete job names its task (`task_path`) and,
    if its final « done » state has another name, `done_status`."""

    status = models.CharField(
        gettext_lazy("statut"),
        max_length=10,
        choices=JobStatus.choices,
        default=JobStatus.QUEUED,
    )
    progress = models.CharField(gettext_lazy("étape"), max_length=200, blank=True)
    progress_done = models.PositiveIntegerField(gettext_lazy("fait"), default=0)
    progress_total = models.PositiveIntegerField(gettext_lazy("à faire"), default=0)
    error = models.TextField(gettext_lazy("erreur"), blank=True)
    task_id = models.CharField(gettext_lazy("identifiant de la tâche"), max_length=64, blank=True)
    worker = models.CharField(gettext_lazy("travailleur"), max_length=200, blank=True)
    started_at = models.DateTimeField(gettext_lazy("commencé le"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(gettext_lazy("dernier signe de vie"), null=True, blank=True)
    finished_at = models.DateTimeField(gettext_lazy("terminé le"), null=True, blank=True)

    task_path: ClassVar[str]
    done_status: ClassVar[str] = JobStatus.SUCCEEDED

    class Meta:
        abstract = True

    @property
    def is_finished(self) -> bool:
        return self.status not in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def progress_percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))


def job_enqueue(job: Job) -> None:
    """Queues the job's task once the current transaction has committed (never for a rollback)."""
    transaction.on_commit(partial(_enqueue, type(job), job.pk))


def _enqueue(model: type[Job], job_id: int) -> None:
    from django.utils.module_loading import import_string

    try:
        result = import_string(model.task_path).enqueue(job_id)
    except Exception:
        logger.exception("%s %s could not be queued", model.__name__, job_id)
        _finish(
            model,
            job_id,
            JobStatus.FAILED,
            error=_("Le travail n'a pas pu être mis en file d'attente : relancez-le."),
        )
        return
    model.objects.filter(pk=job_id, task_id="").update(task_id=result.id)


class Progress:
    """What a running job tells of itself: its step, how far it is, and that it is alive."""

    def __init__(self, job: Job):
        self.job = job

    def __call__(self, step: str | None = None, done: int | None = None, total: int | None = None):
        now = timezone.now()
        fields: dict[str, Any] = {"heartbeat_at": now, "updated_at": now}
        if step is not None:
            fields["progress"] = str(step)[:200]
        if done is not None:
            fields["progress_done"] = done
        if total is not None:
            fields["progress_total"] = total
        for name, value in fields.items():
            setattr(self.job, name, value)
        type(self.job).objects.filter(pk=self.job.pk).update(**fields)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def job_run(model: type[Job], job_id: int, work: Callable[[Any, Progress], Any]) -> Any:
    """Runs a queued job with `work(job, progress)`; a job already started or finished is
    left alone. The job always ends done or failed; the work's result is returned."""
    fail_abandoned(model)
    now = timezone.now()
    claimed = model.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING,
        worker=worker_name(),
        started_at=now,
        heartbeat_at=now,
        updated_at=now,
    )
    if not claimed:
        logger.warning("%s %s is not queued: not run", model.__name__, job_id)
        return None
    job = model.objects.get(pk=job_id)
    try:
        result = work(job, Progress(job))
    except JobFailure as failure:
        _finish(model, job_id, JobStatus.FAILED, error=failure.message)
        return {"error": failure.message}
    except Exception:
        logger.exception("%s %s failed unexpectedly", model.__name__, job_id)
        message = _(
            "Erreur inattendue : rien n'a été enregistré. Signalez-la à l'administrateur de "
            "Mutualis (n° %(job)s)."
        ) % {"job": job_id}
        _finish(model, job_id, JobStatus.FAILED, error=message)
        return {"error": message}
    _finish(model, job_id, model.done_status)
    return result


def _finish(model: type[Job], job_id: int, status: str, *, error: str = "") -> None:
    now = timezone.now()
    model.objects.filter(pk=job_id, status__in=(JobStatus.QUEUED, JobStatus.RUNNING)).update(
        status=status, error=error, progress="", finished_at=now, updated_at=now
    )


def _process_is_gone(worker: str) -> bool:
    """True when the worker ran on this machine and its process no longer exists."""
    host, _sep, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _task_has_ended(task_id: str) -> bool:
    """True when the queue says the job's task is over (it failed, or ended without it)."""
    from django_tasks import default_task_backend
    from django_tasks.base import TaskResultStatus
    from django_tasks.exceptions import TaskResultDoesNotExist

    try:
        result = default_task_backend.get_result(task_id)
    except (NotImplementedError, TaskResultDoesNotExist, ValueError):
        return False
    return result.status in (TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL)


def _is_abandoned(job_id, worker, heartbeat, task_id, created, *, now, stale_after) -> bool:
    if worker:  # it was started: is its worker still alive?
        return _process_is_gone(worker) or bool(heartbeat and now - heartbeat > stale_after)
    if task_id:  # queued: has its task ended without running it?
        return _task_has_ended(task_id)
    return now - created > stale_after  # never made it to the queue


def fail_abandoned(model: type[Job]) -> int:
    """Marks failed the jobs nobody is running any more; returns how many."""
    now = timezone.now()
    stale_after = timedelta(minutes=settings.JOB_STALE_AFTER_MINUTES)
    unfinished = model.objects.filter(status__in=(JobStatus.QUEUED, JobStatus.RUNNING))
    abandoned = [
        values[0]
        for values in unfinished.values_list(
            "pk", "worker", "heartbeat_at", "task_id", "created_at"
        )
        if _is_abandoned(*values, now=now, stale_after=stale_after)
    ]
    for job_id in abandoned:
        logger.error("%s %s was abandoned by its worker: marked failed", model.__name__, job_id)
        _finish(
            model,
            job_id,
            JobStatus.FAILED,
            error=_(
                "Le travail s'est interrompu (le programme qui l'exécutait s'est arrêté) : "
                "rien n'a été enregistré. Relancez-le."
            ),
        )
    return len(abandoned)
