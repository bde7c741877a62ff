"""Support tickets from another helpdesk tool (demandes d'assistance): CSV or XLSX with French
dates, all or nothing, a second import updates, and the export imports back unchanged."""

import pytest
from django.urls import reverse
from django.utils import timezone

from mutualis.core.roles import OperatorRole
from mutualis.core.tests.factories import UserFactory
from mutualis.imports.tests.helpers import csv_bytes, run_import, xlsx_bytes
from mutualis.members.tests.factories import MemberFactory
from mutualis.support.models import Ticket, TicketSource, TicketStatus

pytestmark = pytest.mark.django_db

HEADER = [
    "numero", "membre", "titre", "categorie", "statut", "priorite", "ouverture",
    "prise_en_compte", "resolution", "cloture", "echeance_prise_en_compte",
    "echeance_resolution",
]  # fmt: skip


@pytest.fixture
def begles():
    return MemberFactory(name="Bègles", siren="213300395", insee_code="33039")


def rows():
    return [
        ["2026-001", "33039", "Mot de passe oublié", "Messagerie", "clos", "3",
         "03/02/2026 09:12", "03/02/2026 09:40", "03/02/2026 15:12", "05/02/2026 10:00",
         "03/02/2026 10:12", "04/02/2026 09:12"],
        ["2026-002", "213300395", "Imprimante", "", "en cours", "",
         "2026-02-10 14:00", "", "", "", "", ""],
    ]  # fmt: skip


def test_a_file_of_tickets_imports_then_updates(begles):
    report = run_import("tickets", "demandes.csv", csv_bytes(HEADER, rows()))
    assert report.ok, [str(e) for e in report.errors]
    assert report.created == 2
    first = Ticket.objects.get(external_id="2026-001")
    assert first.source == TicketSource.IMPORT and first.member == begles
    assert first.status == TicketStatus.CLOSED
    assert first.response_seconds == 28 * 60  # elapsed between the dates
    assert first.resolution_seconds == 6 * 3600
    paris = timezone.localtime(first.opened_at)
    assert (paris.hour, paris.minute) == (9, 12)

    again = rows()
    again[1][4], again[1][8] = "résolu", "11/02/2026 10:00"
    report = run_import("tickets", "demandes.xlsx", xlsx_bytes(HEADER, again))
    assert report.ok, [str(e) for e in report.errors]
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert Ticket.objects.count() == 2
    assert Ticket.objects.get(external_id="2026-002").resolution_seconds == 20 * 3600


def test_one_bad_row_and_nothing_is_imported(begles):
    bad = rows()
    bad[1][6] = "10/02/2026 25:00"
    bad[0][8] = "01/02/2026 08:00"  # solved before it was opened
    report = run_import("tickets", "demandes.csv", csv_bytes(HEADER, bad))
    assert not report.ok
    messages = {(e.line, e.field): e.message for e in report.errors}
    assert "heure impossible" in messages[(3, "ouverture")]
    assert "précède l'ouverture" in messages[(2, "resolution")]
    assert Ticket.objects.count() == 0


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_imports_back_unchanged(client, begles, fmt):
    assert run_import("tickets", "demandes.csv", csv_bytes(HEADER, rows())).ok
    before = list(Ticket.objects.order_by("pk").values())
    client.force_login(UserFactory(operator_role=OperatorRole.MANAGER))
    response = client.get(reverse("imports:export", kwargs={"kind": "tickets", "fmt": fmt}))
    assert response.status_code == 200
    name = response["Content-Disposition"].split('filename="')[1].rstrip('"')
    report = run_import("tickets", name, response.content)
    assert report.ok, [str(e) for e in report.errors]
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert list(Ticket.objects.order_by("pk").values()) == before
