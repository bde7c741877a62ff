"""The operator settles a contested day: accepted (not billed), changed (billed as
corrected) or rejected (billed as logged). Until then the day is not billed, and posting
the month says which days were left out; posting again after the decision bills them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from mutualis.core.tests.factories import UserFactory
from mutualis.members.tests.factories import AgentAccessFactory
from mutualis.metering.models import UsageRecord
from mutualis.staffing import selectors
from mutualis.staffing.services import (
    staffing_usage_post,
    work_log_acknowledge,
    work_log_contest,
    work_log_contest_resolve,
)
from mutualis.staffing.tests.factories import StaffingAgreementFactory, WorkLogEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def month():
    """Three full days logged in September 2026 at one member, billed on days worked."""
    agreement = StaffingAgreementFactory()
    entries = [
        WorkLogEntryFactory(agreement=agreement, date=dt.date(2026, 9, day)) for day in (8, 15, 22)
    ]
    agent = AgentAccessFactory(member=agreement.member).user
    return agreement, entries, agent


def billed() -> Decimal:
    return UsageRecord.objects.get(year=2026, month=9).quantity


def test_an_open_contest_is_left_out_of_the_posting_and_named(month):
    _agreement, (_first, contested, _third), agent = month
    work_log_contest(entry=contested, user=agent, reason="Absent ce jour-là.")
    report = staffing_usage_post(2026, 9)
    assert billed() == Decimal("2")
    assert report.left_out == [contested]
    assert report.left_out_days == Decimal("1")


@pytest.mark.parametrize(
    ("resolution", "half", "expected"),
    [("accepted", "", "2"), ("changed", "am", "2.5"), ("rejected", "", "3")],
)
def test_posting_again_after_the_decision_bills_what_was_decided(month, resolution, half, expected):
    _agreement, (_first, contested, _third), agent = month
    work_log_contest(entry=contested, user=agent, reason="Le technicien est parti à midi.")
    staffing_usage_post(2026, 9)
    manager = UserFactory(manager=True)
    resolved = work_log_contest_resolve(
        entry=contested,
        user=manager,
        resolution=resolution,
        note="Vu avec le technicien.",
        half=half,
    )
    assert (resolved.contest_resolved_by, resolved.contest_resolution) == (manager, resolution)
    assert resolved.contest_resolved_at is not None
    assert resolved.contest_resolution_note == "Vu avec le technicien."
    report = staffing_usage_post(2026, 9)
    assert report.left_out == [] and report.outcomes == {
        "unchanged" if expected == "2" else "replaced": 1
    }
    assert billed() == Decimal(expected)
    assert staffing_usage_post(2026, 9).outcomes == {"unchanged": 1}  # still idempotent


def test_a_change_keeps_the_logged_duration_and_the_figures_follow(month):
    agreement, (_first, contested, _third), agent = month
    work_log_contest(entry=contested, user=agent, reason="Une matinée seulement.")
    work_log_contest_resolve(
        entry=contested,
        user=UserFactory(manager=True),
        resolution="changed",
        note="Corrigé.",
        half="am",
    )
    contested.refresh_from_db()
    assert (contested.half, contested.half_before_change) == ("am", "full")
    figures = selectors.agreement_figures(
        type(agreement).objects.filter(pk=agreement.pk), year=2026
    )
    assert figures[0].worked == Decimal("2.5")


def test_an_accepted_contest_no_longer_counts_as_worked(month):
    agreement, (_first, contested, _third), agent = month
    work_log_contest(entry=contested, user=agent, reason="Personne n'est venu.")
    work_log_contest_resolve(
        entry=contested, user=UserFactory(manager=True), resolution="accepted", note="Erreur."
    )
    figures = selectors.agreement_figures(
        type(agreement).objects.filter(pk=agreement.pk), year=2026
    )
    assert figures[0].worked == Decimal("2")
    calendar = selectors.month_calendar(year=2026, month=9, member=agreement.member)
    assert calendar.worked_days == Decimal("2")
    with pytest.raises(ValidationError):
        work_log_acknowledge(entry=contested, user=agent)


def test_a_decision_needs_a_reason_a_planner_and_an_open_contest(month):
    _agreement, (first, contested, _third), agent = month
    manager = UserFactory(manager=True)
    with pytest.raises(ValidationError):  # not contested
        work_log_contest_resolve(entry=first, user=manager, resolution="rejected", note="Non.")
    work_log_contest(entry=contested, user=agent, reason="Absent.")
    for user, note, resolution, half in [
        (manager, "  ", "rejected", ""),
        (UserFactory(operator_role="technician"), "Non.", "rejected", ""),
        (UserFactory(operator_role="read_only"), "Non.", "rejected", ""),
        (agent, "Non.", "rejected", ""),
        (manager, "Non.", "changed", "full"),  # the same duration is no change
        (manager, "Non.", "changed", ""),
        (manager, "Non.", "maybe", ""),
    ]:
        with pytest.raises(ValidationError):
            work_log_contest_resolve(
                entry=contested, user=user, resolution=resolution, note=note, half=half
            )
    contested.refresh_from_db()
    assert contested.contest_open
    work_log_contest_resolve(entry=contested, user=manager, resolution="rejected", note="Présent.")
    with pytest.raises(ValidationError):  # settled once
        work_log_contest_resolve(entry=contested, user=manager, resolution="accepted", note="Oups.")
    with pytest.raises(ValidationError):  # the member cannot reopen it
        work_log_contest(entry=contested, user=agent, reason="Toujours pas d'accord.")


def test_a_correction_cannot_overlap_another_logged_half_day(month):
    agreement, (_first, contested, _third), agent = month
    day = {"agreement": agreement, "technician": contested.technician, "date": dt.date(2026, 9, 16)}
    morning = WorkLogEntryFactory(**day, half="am")
    WorkLogEntryFactory(**day, half="pm")
    work_log_contest(entry=morning, user=agent, reason="Toute la journée en fait ?")
    with pytest.raises(ValidationError):
        work_log_contest_resolve(
            entry=morning,
            user=UserFactory(manager=True),
            resolution="changed",
            note="x",
            half="full",
        )
    morning.refresh_from_db()
    assert morning.half == "am" and morning.contest_open


def test_signing_off_a_contested_day_withdraws_the_contest(month):
    _agreement, (_first, contested, _third), agent = month
    work_log_contest(entry=contested, user=agent, reason="À vérifier.")
    assert list(selectors.open_contests()) == [contested]
    work_log_acknowledge(entry=contested, user=agent)
    assert selectors.open_contest_count() == 0
    staffing_usage_post(2026, 9)
    assert billed() == Decimal("3")


def test_open_contests_come_oldest_first(month):
    _agreement, (first, second, third), agent = month
    for entry in (third, first, second):
        work_log_contest(entry=entry, user=agent, reason=f"Contestation {entry.pk}")
    assert list(selectors.open_contests()) == [third, first, second]


def test_the_button_says_which_contested_days_were_left_out(client, month):
    agreement, (_first, contested, _third), agent = month
    work_log_contest(entry=contested, user=agent, reason="Absent.")
    client.force_login(UserFactory(accountant=True))
    page = client.post(
        "/operateur/informaticiens/consommations/", {"year": 2026, "month": 9}, follow=True
    ).content.decode()
    assert "1 journée contestée (1 j) n&#x27;est pas facturée" in page
    assert f"15/09/2026 — {agreement.member.name}" in page
    assert billed() == Decimal("2")


def test_the_command_lists_the_days_left_out(capsys, month):
    _agreement, (_first, contested, _third), agent = month
    work_log_contest(entry=contested, user=agent, reason="Absent.")
    call_command("staffing_usage_post", year=2026, month=9)
    assert "non facturée (contestation en attente) : 15/09/2026" in capsys.readouterr().out


def test_the_operator_sees_open_contests_settles_one_and_the_member_reads_the_outcome(
    client, month
):
    agreement, (_first, contested, third), agent = month
    work_log_contest(entry=third, user=agent, reason="Personne ce jour-là.")
    work_log_contest(entry=contested, user=agent, reason="Parti à midi.")
    staffing_usage_post(2026, 9)
    manager = UserFactory(manager=True, first_name="Claire", last_name="Martin")
    client.force_login(manager)
    dashboard = client.get("/operateur/informaticiens/").content.decode()
    assert "2 journées contestées par les membres à trancher" in dashboard
    assert "Informaticiens (2 contestations)" in dashboard  # the navigation
    listing = client.get("/operateur/informaticiens/contestations/").content.decode()
    assert listing.index("Personne ce jour-là.") < listing.index("Parti à midi.")  # oldest first
    resolve = f"/operateur/informaticiens/journal/{contested.pk}/contestation/"
    assert resolve in listing

    refused = client.post(resolve, {"resolution": "changed", "note": "Vu.", "half": ""})
    assert "Choisissez la durée corrigée." in refused.content.decode()
    done = client.post(
        resolve,
        {"resolution": "changed", "half": "am", "note": "Le technicien confirme : matin seul."},
        follow=True,
    ).content.decode()
    assert "corrigée (matin) : elle sera facturée ainsi" in done
    assert "enregistrez de nouveau ce mois" in done  # September was posted already
    assert "1 contestation en attente" in done
    staffing_usage_post(2026, 9)
    assert billed() == Decimal("1.5")  # 1 + ½, the other contested day still out

    client.force_login(agent)
    portal = client.get(
        f"/mon-espace/{agreement.member.pk}/informaticien/", {"mois": "2026-09"}
    ).content.decode()
    assert "Journée corrigée : journée → matin" in portal
    assert "Décision de Claire Martin le" in portal
    assert "Le technicien confirme : matin seul." in portal
    assert "En attente de la réponse de l'opérateur" in portal  # the other one
    assert f"/journal/{contested.pk}/contester/" not in portal  # settled: no new contest


def test_the_member_reads_a_rejection_and_a_cancellation(client, month):
    agreement, (first, contested, _third), agent = month
    manager = UserFactory(manager=True)
    work_log_contest(entry=first, user=agent, reason="Absent.")
    work_log_contest(entry=contested, user=agent, reason="Absent aussi.")
    work_log_contest_resolve(
        entry=first, user=manager, resolution="accepted", note="Erreur de saisie, annulée."
    )
    work_log_contest_resolve(
        entry=contested, user=manager, resolution="rejected", note="Feuille d'émargement signée."
    )
    client.force_login(agent)
    portal = client.get(
        f"/mon-espace/{agreement.member.pk}/informaticien/", {"mois": "2026-09"}
    ).content.decode()
    assert "Contestation acceptée : journée annulée, non facturée" in portal
    assert "Erreur de saisie, annulée." in portal
    assert "Contestation rejetée : journée maintenue" in portal
    assert "Feuille d&#x27;émargement signée." in portal
    assert "annulée, non facturée" in portal and "contestation rejetée" in portal  # calendar


def test_only_planners_settle_contests(client, month):
    _agreement, (_first, contested, _third), agent = month
    work_log_contest(entry=contested, user=agent, reason="Absent.")
    resolve = f"/operateur/informaticiens/journal/{contested.pk}/contestation/"
    client.force_login(UserFactory(operator_role="technician"))
    assert client.get("/operateur/informaticiens/contestations/").status_code == 200
    assert client.post(resolve, {"resolution": "accepted", "note": "x"}).status_code == 403
    contested.refresh_from_db()
    assert contested.contest_open


def test_the_api_shows_the_outcome_to_the_members_agent(month):
    _agreement, (_first, contested, _third), agent = month
    work_log_contest(entry=contested, user=agent, reason="Matin seulement.")
    work_log_contest_resolve(
        entry=contested, user=UserFactory(manager=True), resolution="changed", note="OK.", half="am"
    )
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=agent)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    row = client.get(f"/api/v1/staffing/work-log/{contested.pk}/").json()
    assert (row["contest_resolution"], row["half"], row["half_before_change"]) == (
        "changed",
        "am",
        "full",
    )
    assert row["contest_resolution_note"] == "OK."
