"""Operator staff only: anonymous visitors log in, member agents get 403, uploads need a role."""

import pytest
from django.urls import reverse

from mutualis.imports.models import ImportJob
from mutualis.imports.tests.factories import ImportJobFactory, UserFactory


@pytest.fixture
def urls(db):
    job = ImportJobFactory()
    return {
        "list": reverse("imports:job_list"),
        "detail": reverse("imports:job_detail", kwargs={"pk": job.pk}),
        "export": reverse("imports:export", kwargs={"kind": "memberships", "fmt": "csv"}),
    }


def test_anonymous_is_sent_to_login(client, urls):
    for url in [*urls.values(), reverse("imports:job_create")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_member_agent_gets_403(client, agent, urls):
    client.force_login(agent)
    for url in urls.values():
        assert client.get(url).status_code == 403
    response = client.post(reverse("imports:job_create"), {"kind": "members"})
    assert response.status_code == 403
    assert ImportJob.objects.count() == 1


def test_read_only_staff_reads_and_exports_but_cannot_upload(client, urls):
    client.force_login(UserFactory(read_only=True))

    page = client.get(urls["list"])
    assert page.status_code == 200
    assert b'enctype="multipart/form-data"' not in page.content
    assert client.get(urls["detail"]).status_code == 200
    assert client.get(urls["export"]).status_code == 200
    assert client.post(reverse("imports:job_create"), {"kind": "members"}).status_code == 403


def test_unknown_job_is_404(client, operator):
    client.force_login(operator)
    assert client.get(reverse("imports:job_detail", kwargs={"pk": 999})).status_code == 404
