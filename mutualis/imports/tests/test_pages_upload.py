"""An operator uploads a file, follows the job and reads its report."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mutualis.core.jobs import JobStatus
from mutualis.imports.models import ImportJob
from mutualis.imports.tests.factories import ImportJobFactory
from mutualis.imports.tests.helpers import csv_bytes, snapshot
from mutualis.members.models import Member

HEADER = ["code", "nom"]


def upload(client, name, content, kind="members"):
    return client.post(
        reverse("imports:job_create"),
        {"kind": kind, "file": SimpleUploadedFile(name, content)},
    )


def test_good_file_runs_and_shows_its_summary(
    client, operator, territory, django_capture_on_commit_callbacks
):
    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(
            client, "collectivites.csv", csv_bytes(HEADER, [["33063", ""], ["33281", ""]])
        )

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:job_detail", kwargs={"pk": job.pk})
    assert (job.status, job.created_by, job.file_name) == (
        JobStatus.SUCCEEDED,
        operator,
        "collectivites.csv",
    )
    assert job.task_id
    assert Member.objects.count() == 2

    page = client.get(response["Location"])
    content = page.content.decode()
    assert 'role="status"' in content
    assert "Import terminé." in content
    assert "2 créées" in content
    assert "hx-trigger" not in content  # finished: no more polling


def test_bad_file_shows_every_error_and_changes_nothing(
    client, operator, territory, django_capture_on_commit_callbacks
):
    client.force_login(operator)
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(
            client,
            "collectivites.csv",
            csv_bytes(HEADER, [["99999", ""], ["33063", ""], ["zz", ""]]),
        )

    assert snapshot() == before
    job = ImportJob.objects.get()
    assert job.status == JobStatus.FAILED
    page = client.get(response["Location"]).content.decode()
    assert 'role="alert"' in page
    assert "Rien n&#x27;a été enregistré : le fichier contient 2 erreurs." in page
    assert "<caption>Erreurs à corriger</caption>" in page
    assert '<th scope="col" class="num">Ligne</th>' in page
    assert '<td class="num">2</td>' in page
    assert '<td class="num">4</td>' in page


@pytest.mark.parametrize(
    ("name", "size", "message"),
    [
        ("collectivites.xls", 10, "envoyez un fichier .csv ou .xlsx"),
        ("collectivites.csv", 10 * 1024 * 1024 + 1, "10 Mo au plus"),
    ],
)
def test_wrong_extension_or_size_is_refused_on_the_form(client, operator, name, size, message):
    client.force_login(operator)

    response = upload(client, name, b"c" * size)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    assert not ImportJob.objects.exists()


def test_queued_job_polls_itself_with_htmx(client, operator):
    job = ImportJobFactory()
    client.force_login(operator)

    page = client.get(reverse("imports:job_detail", kwargs={"pk": job.pk})).content.decode()
    partial = client.get(
        reverse("imports:job_detail", kwargs={"pk": job.pk}), HTTP_HX_REQUEST="true"
    ).content.decode()

    url = reverse("imports:job_detail", kwargs={"pk": job.pk})
    for content in (page, partial):
        assert f'hx-get="{url}"' in content
        assert 'hx-trigger="every 2s"' in content
    assert "<html" in page
    assert "<html" not in partial


def test_running_job_shows_its_progress(client, operator):
    job = ImportJobFactory(
        status=JobStatus.RUNNING,
        progress="Vérification des lignes",
        progress_total=400,
        progress_done=100,
    )
    client.force_login(operator)

    content = client.get(
        reverse("imports:job_detail", kwargs={"pk": job.pk}), HTTP_HX_REQUEST="true"
    ).content.decode()

    assert "ligne 100 sur 400" in content
    assert '<progress max="100" value="25"' in content


def test_pages_have_no_inline_script_or_style(client, operator):
    job = ImportJobFactory()
    client.force_login(operator)
    for url in (reverse("imports:job_list"), reverse("imports:job_detail", kwargs={"pk": job.pk})):
        content = client.get(url).content.decode()
        assert "<script>" not in content
        assert " style=" not in content
        assert " on" + "click=" not in content


def test_list_page_documents_columns_and_links_exports(client, operator):
    ImportJobFactory(file_name="mon-fichier.csv")
    client.force_login(operator)

    content = client.get(reverse("imports:job_list")).content.decode()

    assert "mon-fichier.csv" in content
    assert '<label for="id_file">' in content
    assert "nom;type;siren;rattachement;courriel" in content
    assert reverse("imports:export", kwargs={"kind": "subscriptions", "fmt": "xlsx"}) in content
