"""Import of needs: a good file sets the needs; a bad one changes nothing and says where."""

import datetime as dt
from decimal import Decimal as D

import pytest

from mutualis.core.tabular import write_xlsx
from mutualis.imports.services import import_file
from mutualis.members.tests.factories import MemberFactory
from mutualis.purchasing.models import Need
from mutualis.purchasing.tests.factories import CampaignFactory, InvitationFactory, LotFactory


@pytest.fixture
def campaign(db):
    campaign = CampaignFactory(needs_deadline=dt.date(2099, 1, 1))
    LotFactory(campaign=campaign, number=1, name="Forfaits mobiles")
    LotFactory(campaign=campaign, number=2, name="Smartphones")
    for siren, insee in (("213300001", "33001"), ("213300002", "33002")):
        member = MemberFactory(siren=siren, insee_code=insee)
        InvitationFactory(campaign=campaign, member=member)
    MemberFactory(siren="213300003", insee_code="33003")  # not invited
    return campaign


def needs_import(*, campaign, file_name, content):
    return import_file(
        kind="needs", file_name=file_name, content=content, options={"campaign": campaign.pk}
    )


def run(campaign, text, name="besoins.csv"):
    return needs_import(campaign=campaign, file_name=name, content=text.encode())


def test_a_good_file_by_siren_or_insee_code_and_lot_number_or_name(campaign):
    report = run(
        campaign,
        "membre;lot;quantite;prix_unitaire_actuel\n213300001;1;12;25,50\n33002;Smartphones;3;\n",
    )
    assert report.ok, [str(e) for e in report.errors]
    assert report.created == 2
    need = Need.objects.get(member__siren="213300001")
    assert (need.quantity, need.current_unit_price, need.source) == (D(12), D("25.50"), "import")
    assert campaign.invitations.filter(answered_at__isnull=False).count() == 2


def test_a_bad_file_changes_nothing_and_names_file_line_and_column(campaign):
    report = run(
        campaign,
        "membre;lot;quantite;prix_unitaire_actuel\n"
        "213300001;1;12;25\n"
        "213300001;9;1;\n"
        "33002;1;-4;\n"
        "213300003;1;2;\n"
        "999999999;1;2;\n",
    )
    assert not report.ok
    messages = [str(e) for e in report.errors]
    assert messages[0].startswith("besoins.csv, ligne 3, colonne lot : Lot inconnu")
    assert "besoins.csv, ligne 4, colonne quantite" in messages[1]
    assert "ligne 5, colonne membre" in messages[2] and "n'est pas invité" in messages[2]
    assert "ligne 6, colonne membre" in messages[3]
    assert not Need.objects.exists()
    assert not campaign.invitations.filter(answered_at__isnull=False).exists()


def test_an_xlsx_file(campaign):
    content = write_xlsx(["membre", "lot", "quantite"], [["33001", 2, 4]])
    report = needs_import(campaign=campaign, file_name="besoins.xlsx", content=content)
    assert report.ok, [str(e) for e in report.errors]
    assert Need.objects.get().quantity == D(4)


def test_missing_columns(campaign):
    report = run(campaign, "membre;quantite\n33001;4\n")
    assert "colonne lot" in str(report.errors[0])


def test_the_campaign_page_sends_the_file_to_the_job_queue(
    client, campaign, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mutualis.core.jobs import JobStatus
    from mutualis.core.tests.factories import UserFactory
    from mutualis.imports.models import ImportJob

    client.force_login(UserFactory(manager=True))
    page = client.get(f"/operateur/achats/{campaign.pk}/besoins/").content.decode()
    assert f'action="/operateur/imports/besoins/{campaign.pk}/"' in page
    content = b"membre;lot;quantite\n213300001;1;12,5\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/operateur/imports/besoins/{campaign.pk}/",
            {"file": SimpleUploadedFile("besoins.csv", content)},
        )
    job = ImportJob.objects.get()
    assert response["Location"] == f"/operateur/imports/{job.pk}/"
    assert (job.kind, job.options, job.status) == ("needs", {"campaign": campaign.pk}, "succeeded")
    assert Need.objects.get().quantity == D("12.5")
    detail = client.get(response["Location"]).content.decode()
    assert "Retour aux besoins de la campagne" in detail
    assert job.status == JobStatus.SUCCEEDED


def test_read_only_staff_cannot_send_a_needs_file(client, campaign):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mutualis.core.roles import OperatorRole
    from mutualis.core.tests.factories import UserFactory
    from mutualis.imports.models import ImportJob

    client.force_login(UserFactory(operator_role=OperatorRole.READ_ONLY))
    response = client.post(
        f"/operateur/imports/besoins/{campaign.pk}/",
        {"file": SimpleUploadedFile("besoins.csv", b"membre;lot;quantite\n213300001;1;1\n")},
    )
    assert response.status_code == 403
    assert not ImportJob.objects.exists()
