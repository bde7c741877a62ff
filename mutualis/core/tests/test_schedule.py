"""Recurring work runs when due, once, and a failure is recorded without stopping the others."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from mutualis.core import schedule
from mutualis.core.models import ScheduledRun

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def registry(monkeypatch):
    """A registry of two tasks of our own (the project's are checked separately)."""
    calls: list[tuple[str, dt.datetime]] = []
    monkeypatch.setattr(schedule, "_REGISTRY", {})
    monkeypatch.setattr(schedule, "autodiscover_modules", lambda name: None)

    @schedule.recurring("every-hour", every=dt.timedelta(hours=1), label="Toutes les heures")
    def hourly(now):
        calls.append(("every-hour", now))
        return "fait"

    @schedule.recurring("broken", every=dt.timedelta(minutes=10), label="Cassée")
    def broken(now):
        calls.append(("broken", now))
        raise RuntimeError("le serveur ne répond pas")

    return calls


def test_a_due_task_runs_once_until_its_period_has_passed(registry):
    schedule.run_due(NOW)
    schedule.run_due(NOW + dt.timedelta(minutes=30))
    schedule.run_due(NOW + dt.timedelta(minutes=61))
    hourly = [now for name, now in registry if name == "every-hour"]
    assert hourly == [NOW, NOW + dt.timedelta(minutes=61)]


def test_a_failing_task_is_recorded_and_the_others_still_run(registry):
    ran = {r.name: r for r in schedule.run_due(NOW)}
    assert ran["broken"].ok is False and "le serveur ne répond pas" in ran["broken"].message
    assert ran["every-hour"].ok is True
    row = ScheduledRun.objects.get(name="broken")
    assert row.ok is False and row.finished_at is not None
    # It is tried again at its next period, not at every pass.
    schedule.run_due(NOW + dt.timedelta(minutes=5))
    schedule.run_due(NOW + dt.timedelta(minutes=11))
    assert [now for name, now in registry if name == "broken"] == [
        NOW,
        NOW + dt.timedelta(minutes=11),
    ]


def test_only_runs_the_named_task_even_if_not_due(registry):
    schedule.run_due(NOW)
    ran = schedule.run_due(NOW + dt.timedelta(minutes=1), only="every-hour")
    assert [r.name for r in ran] == ["every-hour"]
    assert len([1 for name, _ in registry if name == "every-hour"]) == 2


def test_the_hourly_detection_queues_one_pass_at_a_time():
    from mutualis.alerts.models import DetectionRun

    first = schedule.run_due(NOW, only="alerts-detection")
    second = schedule.run_due(NOW + dt.timedelta(hours=2), only="alerts-detection")
    assert DetectionRun.objects.count() == 1
    assert "mis en file" in first[0].message
    assert second[0].message == "passage précédent pas encore terminé"


def test_the_project_declares_its_recurring_work():
    names = {task.name for task in schedule.registered()}
    assert {
        "iot-storage",
        "alerts-detection",
        "alerts-escalation",
        "alerts-retention",
        "support-glpi-sync",
        "surveys-reminders",
    } <= names
    for task in schedule.registered():
        assert task.every >= dt.timedelta(minutes=1)
        assert task.label


def test_the_commands_run_and_list_in_french(registry):
    out = StringIO()
    call_command("schedule_run", stdout=out)
    assert "every-hour : ok fait" in out.getvalue()
    assert "broken : ÉCHEC RuntimeError: le serveur ne répond pas" in out.getvalue()
    listing = StringIO()
    call_command("schedule_list", stdout=listing)
    assert "Toutes les heures" in listing.getvalue() and "réussie" in listing.getvalue()
