"""The hourly GLPI synchronisation through the project's recurring work (core/schedule.py,
`mutualis schedule run`): nothing while GLPI is not connected, then one job at a time."""

import datetime as dt

import pytest

from mutualis.support import services
from mutualis.support.models import SupportSync

schedule = pytest.importorskip("mutualis.core.schedule")
pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)


def test_the_hourly_sync_waits_for_glpi_then_queues_one_job_at_a_time():
    # The test's transaction never commits: the job is created, its task never sent.
    assert "support-glpi-sync" in {task.name for task in schedule.registered()}
    first = schedule.run_due(NOW, only="support-glpi-sync")
    assert "pas connecté" in first[0].message and not SupportSync.objects.exists()

    services.connection_update(url="https://glpi.example.fr/apirest.php", user_token="jeton")
    queued = schedule.run_due(NOW + dt.timedelta(hours=1), only="support-glpi-sync")
    again = schedule.run_due(NOW + dt.timedelta(hours=2), only="support-glpi-sync")
    assert "mise en file" in queued[0].message
    assert "déjà en cours" in again[0].message
    assert SupportSync.objects.count() == 1
