"""The support block of the élus' page and of the annual reports (insights): a member's
figures in French, on its page and on its one-page PDF; all the members' in the activity
report."""

import datetime as dt
import shutil
import subprocess

import pytest
from django.utils import timezone

from mutualis.core.tests.factories import UserFactory
from mutualis.insights.activity import Activity, activity_report_pdf
from mutualis.insights.report import member_report_pdf
from mutualis.insights.selectors import member_page
from mutualis.members.tests.factories import MemberFactory, MembershipFactory
from mutualis.support.tests.tenancy import make_ticket

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is needed to read the PDF")
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


@pytest.fixture
def begles():
    member = MembershipFactory(member=MemberFactory(name="Bègles")).member
    for n in range(10):
        opened = timezone.make_aware(dt.datetime(2026, 2, 1 + n, 9))
        make_ticket(member, external_id=f"b{n}", opened_at=opened)
    return member


def test_the_member_page_and_its_pdf_tell_the_support_of_the_year(begles, client, tmp_path):
    page = member_page(begles, 2026)
    assert page.support.figures.tickets == 10
    text = pdf_text(member_report_pdf(page, "Syndicat"), tmp_path)
    assert "Votre assistance" in text
    assert "10 demandes d'assistance" in text
    assert "Résolution : 6 h en médiane" in text

    client.force_login(UserFactory(operator_role="read_only"))
    html = client.get(f"/elus/{begles.pk}/", {"annee": 2026}).content.decode()
    assert "La qualité de notre assistance" in html
    assert "Les attentes les plus longues" in html


def test_a_year_without_tickets_says_nothing_of_support(begles, tmp_path):
    page = member_page(begles, 2025)
    assert "Votre assistance" not in pdf_text(member_report_pdf(page, "Syndicat"), tmp_path)


def test_the_activity_report_counts_every_ticket(begles, tmp_path):
    make_ticket(None, external_id="orphan", opened_at=timezone.make_aware(dt.datetime(2026, 5, 1)))
    activity = Activity(2026)
    activity.add(member_page(begles, 2026))
    text = pdf_text(activity_report_pdf(activity, "Syndicat"), tmp_path)
    assert "L'assistance aux membres" in text
    assert "11 demandes d'assistance" in text
