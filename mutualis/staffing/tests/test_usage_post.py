"""Days become monthly usage of the catalogue service: the only path to billing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from mutualis.catalog.models import Subscription
from mutualis.catalog.tests.factories import SubscriptionFactory
from mutualis.core.tests.factories import UserFactory
from mutualis.metering.models import UsageRecord, UsageSource
from mutualis.staffing.services import staffing_usage_post
from mutualis.staffing.tests.factories import StaffingAgreementFactory, WorkLogEntryFactory

pytestmark = pytest.mark.django_db


def test_worked_days_become_one_monthly_record_and_the_subscription_is_created():
    agreement = StaffingAgreementFactory()
    for day, half in [(8, "full"), (15, "am"), (22, "full")]:
        WorkLogEntryFactory(agreement=agreement, date=dt.date(2026, 9, day), half=half)
    WorkLogEntryFactory(agreement=agreement, date=dt.date(2026, 10, 6))  # another month
    assert not Subscription.objects.exists()

    report = staffing_usage_post(2026, 9)

    record = UsageRecord.objects.get()
    assert (record.member, record.service) == (agreement.member, agreement.service)
    assert (record.period, record.year, record.month) == ("month", 2026, 9)
    assert record.quantity == Decimal("2.5")
    assert record.source == UsageSource.STAFFING
    assert report.outcomes == {"created": 1}
    assert Subscription.objects.get().start_date == agreement.start_date


def test_rerunning_replaces_never_adds():
    agreement = StaffingAgreementFactory()
    SubscriptionFactory(member=agreement.member, service=agreement.service)
    entry = WorkLogEntryFactory(agreement=agreement, date=dt.date(2026, 9, 8))
    staffing_usage_post(2026, 9)
    assert staffing_usage_post(2026, 9).outcomes == {"unchanged": 1}
    WorkLogEntryFactory(agreement=agreement, date=dt.date(2026, 9, 9), half="pm")
    assert staffing_usage_post(2026, 9).outcomes == {"replaced": 1}
    assert UsageRecord.objects.get().quantity == Decimal("1.5")
    entry.delete()
    WorkLogEntryFactory._meta.model.objects.all().delete()
    staffing_usage_post(2026, 9)
    assert UsageRecord.objects.get().quantity == 0
    assert Subscription.objects.count() == 1


def test_agreed_days_are_billed_whatever_was_worked():
    agreement = StaffingAgreementFactory(billing_basis="agreed", days=Decimal("2"), per="week")
    staffing_usage_post(2026, 9)
    assert UsageRecord.objects.get(member=agreement.member).quantity == Decimal("8.8")  # 2 × 22/5


def test_the_command_posts_a_whole_year(capsys):
    StaffingAgreementFactory(days=Decimal("12"), per="year", billing_basis="agreed")
    call_command("staffing_usage_post", year=2026)
    assert UsageRecord.objects.count() == 12
    assert sum(r.quantity for r in UsageRecord.objects.all()) == Decimal("12.000")
    assert "12/2026" in capsys.readouterr().out


def test_the_button_is_for_billing_staff(client):
    StaffingAgreementFactory(billing_basis="agreed")
    client.force_login(UserFactory(manager=True))
    assert client.post("/operateur/informaticiens/consommations/", {}).status_code == 403
    client.force_login(UserFactory(accountant=True))
    response = client.post(
        "/operateur/informaticiens/consommations/", {"year": 2026, "month": 9}, follow=True
    )
    assert "1 créées" in response.content.decode()
    assert UsageRecord.objects.filter(year=2026, month=9).count() == 1
