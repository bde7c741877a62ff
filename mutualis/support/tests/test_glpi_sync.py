"""The GLPI synchronisation against a local server that speaks GLPI's REST API: pages read to
the end, tickets saved once and updated when read again, entities mapped to members, and every
refusal of GLPI told in French (the job fails, nothing half-done)."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from mutualis.core.jobs import JobStatus
from mutualis.members.tests.factories import MemberFactory
from mutualis.support import services
from mutualis.support.models import (
    SupportEntity,
    SupportSync,
    Ticket,
    TicketStatus,
    glpi_connection,
)
from mutualis.support.tests.glpi_server import FakeGlpi, GlpiServer

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = "Syndicat numérique"


def glpi_date(day: int, hour: int = 9, month: int = 3) -> str:
    return f"2026-{month:02d}-{day:02d} {hour:02d}:00:00"


@pytest.fixture
def glpi():
    fake = FakeGlpi()
    with GlpiServer(fake) as server:
        services.connection_update(
            url=server.url, app_token=fake.app_token, user_token=fake.user_token
        )
        yield fake


def sync() -> SupportSync:
    with transaction.atomic():
        job = services.sync_request()
    job.refresh_from_db()
    return job


def fill(glpi: FakeGlpi, count: int, entity: str, month: int = 3) -> None:
    for n in range(count):
        glpi.ticket(
            name=f"Demande {n}",
            date=glpi_date(1 + n % 28, 8 + n % 8, month),
            date_mod=glpi_date(1 + n % 28, 17, month),
            status=6 if n % 3 else 2,
            solvedate=glpi_date(1 + n % 28, 16, month) if n % 3 else None,
            closedate=glpi_date(1 + n % 28, 17, month) if n % 3 else None,
            takeintoaccount_delay_stat=1800 + n,
            solve_delay_stat=(7 * 3600 + n) if n % 3 else 0,
            time_to_own=glpi_date(1 + n % 28, 23, month),
            entity=entity,
            priority=3,
            category="Messagerie > Mot de passe",
        )


def test_a_first_sync_reads_every_page_maps_entities_and_ends_the_session(glpi):
    begles = MemberFactory(name="Bègles")
    fill(glpi, 180, f"{ROOT} > Bègles")
    fill(glpi, 70, f"{ROOT} > Syndicat des eaux du Médoc")

    job = sync()

    assert job.status == JobStatus.SUCCEEDED, job.error
    assert (job.tickets_created, job.tickets_updated) == (250, 0)
    assert Ticket.objects.count() == 250
    assert Ticket.objects.filter(member=begles).count() == 180
    assert Ticket.objects.filter(member__isnull=True).count() == 70  # kept, counted apart
    assert job.unmapped_entities == [f"{ROOT} > Syndicat des eaux du Médoc"]
    assert [q["range"][0] for q in glpi.searches] == ["0-99", "100-199", "200-299"]
    assert "criteria[0][field]" not in glpi.searches[0]  # the first time: everything
    assert glpi.killed and not glpi.sessions
    ticket = Ticket.objects.get(title="Demande 1", member=begles)
    assert ticket.status == TicketStatus.CLOSED
    assert ticket.response_seconds == 1801 and ticket.resolution_seconds == 7 * 3600 + 1
    assert ticket.category == "Messagerie > Mot de passe"
    assert timezone.localtime(ticket.opened_at) == timezone.make_aware(dt.datetime(2026, 3, 2, 9))
    assert ticket.first_response_at == ticket.opened_at + dt.timedelta(seconds=1801)


def test_a_second_sync_reads_what_changed_and_updates_without_duplicating(glpi):
    MemberFactory(name="Bègles")
    fill(glpi, 30, f"{ROOT} > Bègles")
    sync()
    open_one = next(t for t in glpi.tickets if t["status"] == 2)
    open_one.update(status=5, solvedate=glpi_date(29, 10), date_mod=glpi_date(29, 10))

    job = sync()

    assert job.status == JobStatus.SUCCEEDED, job.error
    assert Ticket.objects.count() == 30
    assert job.tickets_created == 0 and job.tickets_updated == 1
    criteria = glpi.searches[-1]
    assert criteria["criteria[0][field]"] == ["19"]
    assert criteria["criteria[0][searchtype]"] == ["morethan"]
    assert criteria["criteria[0][value]"][0] < glpi_date(29, 10)
    ticket = Ticket.objects.get(external_id=str(open_one["id"]))
    assert ticket.status == TicketStatus.SOLVED and ticket.solved_at is not None

    assert sync().tickets_updated == 0  # nothing new: nothing written


def test_mapping_an_entity_later_brings_its_tickets_to_the_member(glpi):
    fill(glpi, 5, f"{ROOT} > Eaux du Médoc")
    sync()
    member = MemberFactory(name="Syndicat des eaux du Médoc")
    entity = SupportEntity.objects.get()
    assert entity.member is None

    assert services.entity_map(entity=entity, member=member) == 5
    assert Ticket.objects.filter(member=member).count() == 5
    fill(glpi, 2, f"{ROOT} > Eaux du Médoc", month=4)  # created since
    sync()
    assert Ticket.objects.filter(member=member).count() == 7


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        ({"user_token": "faux"}, "GLPI refuse le jeton d'utilisateur"),
        ({"app_token": "faux"}, "GLPI refuse le jeton d'application"),
        ({"app_token": ""}, "GLPI exige un jeton d'application"),
    ],
)
def test_a_refused_token_fails_the_job_in_french(glpi, spoil, message):
    fill(glpi, 3, f"{ROOT} > Bègles")
    connection = glpi_connection()
    for name, value in spoil.items():
        setattr(connection, name, value)
    connection.save()

    job = sync()

    assert job.status == JobStatus.FAILED
    assert message in job.error
    assert Ticket.objects.count() == 0


def test_a_session_gone_mid_sync_fails_in_french_and_keeps_the_cursor(glpi):
    fill(glpi, 3, f"{ROOT} > Bègles")
    glpi.expire_sessions = True

    job = sync()

    assert job.status == JobStatus.FAILED
    assert "jeton de session invalide" in job.error
    assert glpi_connection().synced_until is None


def test_a_silent_glpi_is_given_up_after_the_timeout(glpi, settings):
    settings.SUPPORT_GLPI_TIMEOUT = 1
    fill(glpi, 3, f"{ROOT} > Bègles")
    glpi.delay = 2

    job = sync()

    assert job.status == JobStatus.FAILED
    assert "GLPI n'a pas répondu en 1 secondes" in job.error


def test_no_glpi_at_the_address_is_said(db):
    services.connection_update(url="http://127.0.0.1:9/apirest.php", user_token="x")
    job = sync()
    assert job.status == JobStatus.FAILED
    assert "Impossible de joindre GLPI" in job.error


def test_the_command_for_a_timer_syncs_and_says_what_it_did(glpi, capsys):
    from django.core.management import call_command

    MemberFactory(name="Bègles")
    fill(glpi, 12, f"{ROOT} > Bègles")
    call_command("support_sync")
    assert "12 demandes ajoutées" in capsys.readouterr().out
    assert SupportSync.objects.get().trigger == "schedule"
    call_command("support_sync")
    assert "0 demandes ajoutées, 0 mises à jour" in capsys.readouterr().out
    assert Ticket.objects.count() == 12


def test_the_command_fails_loudly_when_glpi_refuses(glpi):
    from django.core.management import CommandError, call_command

    connection = glpi_connection()
    connection.user_token = "faux"
    connection.save()
    with pytest.raises(CommandError, match="jeton d'utilisateur"):
        call_command("support_sync")
