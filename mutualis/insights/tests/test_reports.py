"""« Ce que la mutualisation vous a apporté »: one page per member as a PDF, and every
billed member's page built in the background into one ZIP."""

import io
import re
import zipfile

from mutualis.core.tests.factories import UserFactory
from mutualis.insights.models import ReportBatch
from mutualis.members.tests.factories import AgentAccessFactory


def _pages(data: bytes) -> int:
    """Pages of a PDF written by reportlab (one « /Type /Page » object each)."""
    assert data.startswith(b"%PDF")
    return len(re.findall(rb"/Type /Page\b(?!s)", data))


def test_a_member_gets_its_one_page_report(issued_titres, world, client):
    bourg, cerons = world["communes"][1], world["communes"][2]
    agent = UserFactory()
    AgentAccessFactory(user=agent, member=bourg)
    client.force_login(agent)
    response = client.get(f"/elus/{bourg.pk}/rapport.pdf?annee=2026")
    assert response["Content-Type"] == "application/pdf"
    assert _pages(response.content) == 1
    assert client.get(f"/elus/{cerons.pk}/rapport.pdf").status_code == 404


def test_every_billed_member_in_one_zip_in_the_background(
    issued_titres, world, client, django_capture_on_commit_callbacks
):
    client.force_login(UserFactory(manager=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/elus/rapports/", {"year": "2026"})
    batch = ReportBatch.objects.get()
    assert response.url == f"/elus/rapports/{batch.pk}/"
    assert batch.status == "succeeded" and batch.report_count == 3
    assert batch.progress_done == batch.progress_total == 3
    page = client.get(f"/elus/rapports/{batch.pk}/").content.decode()
    assert "3 rapports prêts." in page
    archive = zipfile.ZipFile(
        io.BytesIO(client.get(f"/elus/rapports/{batch.pk}/rapports.zip").content)
    )
    names = archive.namelist()
    assert len(names) == 3 and all(name.endswith(".pdf") for name in names)
    assert all(_pages(archive.read(name)) == 1 for name in names)


def test_a_year_without_titres_fails_with_a_reason(
    world, client, django_capture_on_commit_callbacks
):
    client.force_login(UserFactory(manager=True))
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/elus/rapports/", {"year": "2025"})
    batch = ReportBatch.objects.get()
    assert batch.status == "failed" and "Aucun titre émis en 2025" in batch.error
