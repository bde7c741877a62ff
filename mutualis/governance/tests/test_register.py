import datetime as dt

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from mutualis.billing.services.tariffs import tariff_adopt
from mutualis.billing.tests.factories import TariffFactory
from mutualis.core.tests.factories import UserFactory
from mutualis.governance import services
from mutualis.governance.models import Body, Deliberation
from mutualis.governance.services import operator_decision
from mutualis.governance.tests.factories import BodyFactory, SeatFactory, deliberation
from mutualis.members.models import Decision
from mutualis.members.services import decision_create
from mutualis.members.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 12, 10)


def _meeting_with_quorum(body, present=8, seats=12):
    members = [SeatFactory(body=body) for _ in range(seats)]
    meeting = services.meeting_create(body=body, date=DAY, agenda=["Tarifs"])
    services.attendance_record(
        meeting=meeting, present={s.pk for s in members[:present]}, proxies={}
    )
    return meeting


def test_an_operator_decision_written_elsewhere_gets_its_register_entry():
    decision = operator_decision(
        body="Comité syndical", number="2025-42", date=DAY, subject="Tarifs 2026"
    )
    tariff = TariffFactory()
    tariff_adopt(tariff=tariff, decision=decision)
    entry = Deliberation.objects.get(decision=decision)
    assert entry.body.name == "Comité syndical" and entry.body.kind == "committee"
    # A member's own délibération (its council joining) is not the operator's register.
    member_decision = decision_create(
        member=MembershipFactory().member, body="Conseil municipal", date=DAY, subject="Adhésion"
    )
    assert not Deliberation.objects.filter(decision=member_decision).exists()


def test_the_migration_turns_existing_decisions_into_entries_and_keeps_them(django_user_model):
    from importlib import import_module

    migration = import_module("mutualis.governance.migrations.0002_register_existing_decisions")
    decision = operator_decision(
        body="Bureau syndical", number="2024-7", date=DAY, subject="Tarifs"
    )
    TariffFactory(decision=decision)
    membership = MembershipFactory(decision=decision)
    Deliberation.objects.filter(decision=decision).delete()  # as before the register existed

    migration.forwards(apps, None)

    entry = Deliberation.objects.get(decision=decision)
    assert entry.migrated and entry.matiere == "7.6" and entry.body.kind == "bureau"
    assert list(entry.memberships.all()) == [membership]
    assert Decision.objects.get(pk=decision.pk).subject == "Tarifs"  # the old data is intact
    migration.forwards(apps, None)  # idempotent
    assert Deliberation.objects.filter(decision=decision).count() == 1


def test_a_deliberation_records_a_consistent_vote_at_a_meeting_with_quorum():
    body = BodyFactory()
    meeting = _meeting_with_quorum(body)
    membership = MembershipFactory()
    entry = deliberation(
        body=body,
        meeting=meeting,
        date=DAY,
        effectif=12,
        present=8,
        proxies=0,
        votes_for=7,
        votes_against=0,
        abstentions=1,
        memberships=[membership],
    )
    assert entry.decision.number == "2025-001"
    assert entry.voters == 8
    assert list(entry.memberships.all()) == [membership]


@pytest.mark.parametrize(
    ("vote", "field"),
    [
        (
            {"effectif": 12, "present": 13, "votes_for": 13, "votes_against": 0, "abstentions": 0},
            "present",
        ),
        (
            {"effectif": 12, "present": 8, "votes_for": 8, "votes_against": 1, "abstentions": 1},
            "votes_for",
        ),
        (
            {"effectif": 12, "present": 8, "votes_for": 3, "votes_against": 5, "abstentions": 0},
            "votes_for",
        ),
        ({"effectif": 12, "present": 8}, "votes_for"),
    ],
)
def test_an_impossible_vote_is_refused_and_nothing_is_written(vote, field):
    body = BodyFactory()
    with pytest.raises(ValidationError) as refused:
        deliberation(body=body, **vote)
    assert field in refused.value.error_dict
    assert not Decision.objects.exists() and not Deliberation.objects.exists()


def test_a_meeting_without_quorum_does_not_deliberate():
    body = BodyFactory()
    meeting = _meeting_with_quorum(body, present=5)
    with pytest.raises(ValidationError) as refused:
        deliberation(body=body, meeting=meeting, date=DAY)
    assert "meeting" in refused.value.error_dict


def test_a_user_club_gives_opinions_and_does_not_deliberate():
    with pytest.raises(ValidationError):
        deliberation(body=BodyFactory(kind="user_club"))


def test_the_signed_document_is_bounded_in_size(client, settings):
    settings.DOCUMENT_MAX_MB = 1
    body = BodyFactory()
    client.force_login(UserFactory(manager=True))
    big = SimpleUploadedFile("d.pdf", b"%PDF-" + b"0" * (1024 * 1024 + 1), "application/pdf")
    response = client.post(
        "/operateur/instances/registre/nouvelle/",
        {
            "body": body.pk,
            "date": "2025-12-10",
            "subject": "Tarifs",
            "matiere": "7.6",
            "signed_document": big,
        },
    )
    assert response.status_code == 200
    assert "pèse plus de 1 Mo" in response.content.decode()
    assert not Body.objects.get(pk=body.pk).deliberations.exists()


def test_the_tariff_page_shows_the_meeting_and_the_deliberation_that_adopted_it(client):
    decision = operator_decision(
        body="Comité syndical", number="2025-42", date=DAY, subject="Tarifs 2026"
    )
    tariff = TariffFactory()
    tariff_adopt(tariff=tariff, decision=decision)
    entry = Deliberation.objects.get(decision=decision)
    meeting = _meeting_with_quorum(entry.body)
    services.deliberation_update(
        entry=entry,
        meeting=meeting,
        matiere="7.6",
        effectif=12,
        present=8,
        proxies=0,
        votes_for=7,
        votes_against=0,
        abstentions=1,
    )
    client.force_login(UserFactory(read_only=True))
    page = client.get(f"/operateur/facturation/tarifs/{tariff.pk}/").content.decode()
    assert f'href="/operateur/instances/registre/{entry.pk}/"' in page
    assert f'href="/operateur/instances/seances/{meeting.pk}/"' in page
    assert "quorum atteint" in page and "7 pour, 0 contre, 1 abstention" in page
    register = client.get(f"/operateur/instances/registre/{entry.pk}/").content.decode()
    assert f'href="/operateur/facturation/tarifs/{tariff.pk}/"' in register


def test_adopting_a_tariff_under_a_number_already_in_the_register_reuses_it():
    """One vote adopts several tariffs: typing the délibération's number again on a second
    tariff links it to the same register entry, never a second one; the same number on
    another date is refused and names the one in the register."""
    from mutualis.billing.services.tariffs import tariff_adopt_by_vote

    first, second = TariffFactory(), TariffFactory()
    tariff_adopt_by_vote(tariff=first, body="Comité syndical", number="2025-42", date=DAY)
    tariff_adopt_by_vote(tariff=second, body="Comité syndical", number="2025-42", date=DAY)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.decision_id == second.decision_id
    assert Deliberation.objects.filter(decision__number="2025-42").count() == 1

    third = TariffFactory()
    with pytest.raises(ValidationError) as refused:
        tariff_adopt_by_vote(
            tariff=third, body="Comité syndical", number="2025-42", date=DAY.replace(day=1)
        )
    assert "déjà au registre" in str(refused.value)
    third.refresh_from_db()
    assert third.decision_id is None


def test_a_members_decision_cannot_be_written_as_the_operators():
    with pytest.raises(ValueError):
        decision_create(member=None, body="Comité syndical", date=DAY, subject="Tarifs")
