"""Needs: entered by invited members before the deadline, late ones by the operator,
withdrawal before the deadline, and who is late or missing."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mutualis.members.tests.factories import MemberFactory
from mutualis.purchasing.models import Need
from mutualis.purchasing.selectors import needs_overview, status_counts
from mutualis.purchasing.services.needs import NeedEntry, invitation_withdraw, needs_set
from mutualis.purchasing.tests.factories import CampaignFactory, InvitationFactory, LotFactory

BEFORE = timezone.make_aware(dt.datetime(2026, 3, 30, 12))
AFTER = timezone.make_aware(dt.datetime(2026, 4, 2, 12))


@pytest.fixture
def setup(db):
    campaign = CampaignFactory()  # collecting needs until 31/03/2026
    lot = LotFactory(campaign=campaign)
    members = [MemberFactory() for _ in range(4)]
    for member in members:
        InvitationFactory(campaign=campaign, member=member)
    return campaign, lot, members


def test_an_invited_member_answers_before_the_deadline(setup):
    campaign, lot, (member, *_rest) = setup
    needs_set(campaign=campaign, member=member, entries=[NeedEntry(lot, D(5), D("30"))], now=BEFORE)
    need = Need.objects.get()
    assert (need.quantity, need.current_unit_price) == (D(5), D(30))
    needs_set(campaign=campaign, member=member, entries=[NeedEntry(lot, None)], now=BEFORE)
    assert not Need.objects.exists()


def test_an_agent_cannot_answer_after_the_deadline_but_the_operator_can(setup):
    campaign, lot, (member, *_rest) = setup
    with pytest.raises(ValidationError):
        needs_set(campaign=campaign, member=member, entries=[NeedEntry(lot, D(5))], now=AFTER)
    needs_set(
        campaign=campaign,
        member=member,
        entries=[NeedEntry(lot, D(5))],
        source="operator",
        now=AFTER,
    )
    rows = needs_overview(campaign, today=dt.date(2026, 4, 2))
    assert {row.member.pk: row.status for row in rows}[member.pk] == "late"


def test_a_member_not_invited_cannot_answer(setup):
    campaign, lot, _members = setup
    with pytest.raises(ValidationError):
        needs_set(
            campaign=campaign, member=MemberFactory(), entries=[NeedEntry(lot, D(1))], now=BEFORE
        )


def test_a_negative_quantity_is_refused(setup):
    campaign, lot, (member, *_rest) = setup
    with pytest.raises(ValidationError):
        needs_set(campaign=campaign, member=member, entries=[NeedEntry(lot, D(-1))], now=BEFORE)


def test_withdrawal_before_the_deadline_removes_the_needs(setup):
    campaign, lot, (member, *_rest) = setup
    needs_set(campaign=campaign, member=member, entries=[NeedEntry(lot, D(5))], now=BEFORE)
    invitation_withdraw(campaign=campaign, member=member, now=BEFORE)
    assert not Need.objects.exists()
    with pytest.raises(ValidationError):
        invitation_withdraw(campaign=campaign, member=member, now=AFTER)


def test_answers_missing_pending_withdrawn_are_counted(setup):
    campaign, lot, (answered, withdrawn, late, _silent) = setup
    needs_set(campaign=campaign, member=answered, entries=[NeedEntry(lot, D(1))], now=BEFORE)
    invitation_withdraw(campaign=campaign, member=withdrawn, now=BEFORE)
    needs_set(
        campaign=campaign, member=late, entries=[NeedEntry(lot, D(1))], source="import", now=AFTER
    )
    before = status_counts(needs_overview(campaign, today=dt.date(2026, 3, 31)))
    assert before["pending"] == 1
    after = status_counts(needs_overview(campaign, today=dt.date(2026, 4, 2)))
    assert after == {"answered": 1, "late": 1, "pending": 0, "missing": 1, "withdrawn": 1}
