"""Recurring work: one registry, one command, one table of last runs.

Each app declares what must come back on its own in a ``schedules.py`` module::

    @recurring("iot-storage", every=dt.timedelta(days=1), label=_("Partitions et conservation"))
    def storage(now):
        ...
        return "2 partitions créées"        # a short French summary, shown in `schedule list`

Production runs ``mutualis schedule run`` from one systemd timer (or cron) every few minutes,
or ``mutualis schedule run --loop`` as a service; ``make demo`` runs the loop. What is due runs
once: the row of each recurring task is locked while it is claimed, so two schedulers started
by mistake do not run it twice. Heavy work is never done here: an action queues a background
job (core/jobs.py) and returns. A failing action is recorded and the others still run.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from mutualis.core.models import ScheduledRun

logger = logging.getLogger(__name__)

Action = Callable[[dt.datetime], str | None]


@dataclass(frozen=True)
class Recurring:
    name: str
    every: dt.timedelta
    label: str
    action: Action


_REGISTRY: dict[str, Recurring] = {}


def recurring(name: str, *, every: dt.timedelta, label) -> Callable[[Action], Action]:
    """Declares ``action(now)`` as recurring work run every ``every``."""

    def register(action: Action) -> Action:
        _REGISTRY[name] = Recurring(name=name, every=every, label=str(label), action=action)
        return action

    return register


def registered() -> list[Recurring]:
    autodiscover_modules("schedules")
    return sorted(_REGISTRY.values(), key=lambda r: r.name)


@dataclass(frozen=True)
class Ran:
    name: str
    ok: bool
    message: str


def _claim(task: Recurring, now: dt.datetime) -> bool:
    """Marks ``task`` started at ``now`` if it is due and nobody else holds it."""
    with transaction.atomic():
        row = (
            ScheduledRun.objects.select_for_update(skip_locked=True).filter(name=task.name).first()
        )
        if row is None:
            return False  # another scheduler holds it right now
        if row.started_at is not None and now - row.started_at < task.every:
            return False
        row.started_at = now
        row.save(update_fields=["started_at"])
    return True


def run_due(now: dt.datetime | None = None, *, only: str | None = None) -> list[Ran]:
    """Runs every recurring task that is due (or only the one named ``only``, due or not)."""
    now = now or timezone.now()
    tasks = [t for t in registered() if only is None or t.name == only]
    ScheduledRun.objects.bulk_create(
        [ScheduledRun(name=t.name) for t in tasks], ignore_conflicts=True
    )
    ran = []
    for task in tasks:
        if only is None and not _claim(task, now):
            continue
        if only is not None:
            ScheduledRun.objects.filter(name=task.name).update(started_at=now)
        try:
            message, ok = task.action(now) or "", True
        except Exception as error:  # recorded; the other tasks still run
            logger.exception("recurring task %s failed", task.name)
            message, ok = f"{type(error).__name__}: {error}"[:1000], False
        ScheduledRun.objects.filter(name=task.name).update(
            finished_at=timezone.now(), ok=ok, message=message
        )
        ran.append(Ran(task.name, ok, message))
    return ran


def status() -> list[tuple[Recurring, ScheduledRun | None]]:
    rows = {r.name: r for r in ScheduledRun.objects.all()}
    return [(task, rows.get(task.name)) for task in registered()]
