"""Preparing a PES file is a background job: the request only queues it, the page shows its
progress then the file; a failed preparation records nothing and takes no rôle number."""

import datetime as dt
import hashlib

import pytest
from django.db import connection
from django.test import TestCase
from django.utils import timezone

from mutualis.billing.models import (
    InvoiceCounter,
    PesMode,
    PesPreparation,
    PesTransmission,
    PesTransmittedDocument,
)
from mutualis.billing.services import preparations, transmissions
from mutualis.billing.services.identity import identity_update
from mutualis.core.jobs import JobStatus

BASE = "/operateur/facturation"


def _ask(client, url, data=None):
    """The POST of the page, its job not run (the worker would run it later)."""
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        response = client.post(url, data or {})
    return response, callbacks


def test_the_request_queues_the_file_and_the_page_shows_it_once_ready(
    client, accountant, identity, issued_titres
):
    client.force_login(accountant)
    response, callbacks = _ask(client, f"{BASE}/calculs/{issued_titres.pk}/pes.xml")
    preparation = PesPreparation.objects.get()
    assert response.status_code == 302
    assert response.url == f"{BASE}/transmissions/preparations/{preparation.pk}/"
    assert preparation.status == JobStatus.QUEUED and preparation.created_by == accountant
    assert not PesTransmission.objects.exists()  # nothing built in the request
    page = client.get(response.url).content.decode()
    assert "attend son tour" in page and 'hx-trigger="every 2s"' in page
    # asking again while it is queued gives the same preparation, no second job
    again, more = _ask(client, f"{BASE}/titres/pes.xml", {"annee": "2026"})
    assert again.url == response.url and not more and PesPreparation.objects.count() == 1

    for callback in callbacks:  # the worker runs the job
        callback()
    preparation.refresh_from_db()
    transmission = preparation.transmission
    assert preparation.status == JobStatus.SUCCEEDED and transmission.document_count == 3
    assert transmission.created_by == accountant
    status = client.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert "Fichier PES prêt" in status and "every 2s" not in status
    download = f"{BASE}/transmissions/{transmission.pk}/fichier.xml"
    assert download in status
    file = client.get(download)
    assert file.status_code == 200 and b"<Piece>" in file.content
    assert hashlib.sha256(file.content).hexdigest() == transmission.sha256


def test_a_run_not_validated_is_refused_without_queuing(client, accountant, identity, world):
    from mutualis.billing.tests.conftest import computed_run

    run = computed_run(world)
    client.force_login(accountant)
    response, callbacks = _ask(client, f"{BASE}/calculs/{run.pk}/pes.xml")
    assert response.status_code == 302 and not callbacks
    assert "calcul validé" in client.get(response.url).content.decode()
    assert not PesPreparation.objects.exists()


@pytest.mark.parametrize("mode", [PesMode.ORDINARY, PesMode.ORMC])
def test_a_failed_preparation_records_nothing_and_takes_no_number(
    identity, issued_titres, accountant, mode, monkeypatch
):
    identity_update(pes_mode=mode)

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(transmissions, "_record", crash)
    with TestCase.captureOnCommitCallbacks(execute=True):
        preparation, created = preparations.preparation_request(run=issued_titres, user=accountant)
    preparation.refresh_from_db()
    assert created and preparation.status == JobStatus.FAILED
    assert "Erreur inattendue" in preparation.error and preparation.transmission is None
    assert not PesTransmission.objects.exists() and not PesTransmittedDocument.objects.exists()
    assert not InvoiceCounter.objects.filter(series=transmissions.ROLE_SERIES).exists()

    monkeypatch.undo()
    with TestCase.captureOnCommitCallbacks(execute=True):
        retry, _created = preparations.preparation_request(run=issued_titres, user=accountant)
    retry.refresh_from_db()
    assert retry.status == JobStatus.SUCCEEDED
    expected = [[2026, "06", 1]] if mode == PesMode.ORMC else [[2026, "01", 1]]
    assert retry.transmission.bordereaux == expected  # rôle n° 1: no number was lost


def test_a_refusal_is_the_jobs_french_message(identity, issued_titres, accountant):
    with TestCase.captureOnCommitCallbacks() as callbacks:
        preparation, _created = preparations.preparation_request(run=issued_titres)
    # meanwhile another file carries the titres (e.g. prepared before this worker ran)
    other = transmissions.pes_transmit(invoices=issued_titres.invoices.all())
    for callback in callbacks:
        callback()
    preparation.refresh_from_db()
    assert preparation.status == JobStatus.FAILED and preparation.transmission is None
    assert "tous sont déjà dans un fichier préparé" in preparation.error
    assert list(PesTransmission.objects.all()) == [other]


def test_the_avis_are_rendered_outside_the_write_transaction(identity, issued_titres, monkeypatch):
    """The slow part (the avis) holds no write lock: only the short recording does."""
    depth = len(connection.atomic_blocks)
    seen = []
    render = transmissions.invoice_pdf

    def watched(invoice, *args, **kwargs):
        seen.append(len(connection.atomic_blocks))
        return render(invoice, *args, **kwargs)

    monkeypatch.setattr(transmissions, "invoice_pdf", watched)
    transmissions.pes_transmit(invoices=issued_titres.invoices.all())
    assert seen == [depth] * 3


def test_the_progress_counts_the_avis(identity, issued_titres):
    steps = []
    transmissions.pes_transmit(
        invoices=issued_titres.invoices.all(),
        progress=lambda step=None, done=None, total=None: steps.append((str(step), done, total)),
    )
    assert ("Avis des sommes à payer", 3, 3) in steps
    assert steps[-1][0] == "Enregistrement du fichier"


def test_the_accountant_marks_a_file_as_deposited_on_helios(
    client, accountant, identity, issued_titres
):
    transmission = transmissions.pes_transmit(invoices=issued_titres.invoices.all())
    client.force_login(accountant)
    listing = client.get(f"{BASE}/transmissions/").content.decode()
    assert "Fichiers PES préparés" in listing and "Marquer comme déposé" in listing
    url = f"{BASE}/transmissions/{transmission.pk}/depose/"
    refused = client.post(url, {"deposited_on": "2020-01-01"}, follow=True).content.decode()
    assert "Dépôt non noté" in refused and "n&#x27;a été préparé que le" in refused
    transmission.refresh_from_db()
    assert transmission.deposited_on is None
    today = timezone.localdate()
    done = client.post(url, {"deposited_on": today.isoformat()}, follow=True).content.decode()
    assert "noté comme déposé sur Hélios" in done
    transmission.refresh_from_db()
    assert transmission.deposited_on == today and transmission.deposited_by == accountant
    assert today.strftime("%d/%m/%Y") in done and "Marquer comme déposé" not in done


def test_a_preparation_left_by_its_worker_does_not_block_the_next(identity, issued_titres):
    left = PesPreparation.objects.create(run=issued_titres)  # never made it to the queue
    long_ago = timezone.now() - dt.timedelta(hours=2)
    PesPreparation.objects.filter(pk=left.pk).update(created_at=long_ago)
    with TestCase.captureOnCommitCallbacks():
        preparation, created = preparations.preparation_request(run=issued_titres)
    left.refresh_from_db()
    assert created and preparation.pk != left.pk
    assert left.status == JobStatus.FAILED and "Relancez-le" in left.error
