"""Days planned beyond the agreement's quota (per week, month or year) are found, period by
period; a period the agreement covers only in part has a pro-rated quota."""

import datetime as dt
from decimal import Decimal

from mutualis.staffing import calendar as cal

ONE = Decimal("1")


def overruns(amount, per, days, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)):
    return cal.quota_overruns(
        amount=Decimal(amount),
        per=per,
        agreement_start=start,
        agreement_end=end,
        planned=[(d, ONE) if isinstance(d, dt.date) else d for d in days],
    )


def test_a_week_over_its_quota_is_flagged_and_the_others_are_not():
    # 2 days a week: Mon 7, Tue 8, Thu 10 September 2026 is one too many; the next week holds.
    found = overruns(
        "2",
        "week",
        [dt.date(2026, 9, 7), dt.date(2026, 9, 8), dt.date(2026, 9, 10), dt.date(2026, 9, 14)],
    )
    assert found == [
        cal.QuotaOverrun(dt.date(2026, 9, 7), dt.date(2026, 9, 13), Decimal("3"), Decimal("2"))
    ]
    assert found[0].excess == ONE


def test_half_days_add_up_and_a_holiday_week_keeps_its_quota():
    # Week of 11 May 2026 (Ascension on Thursday 14): 2 days a week still allowed.
    morning = Decimal("0.5")
    days = [
        (dt.date(2026, 5, 11), ONE),
        (dt.date(2026, 5, 12), morning),
        (dt.date(2026, 5, 13), morning),
    ]
    assert overruns("2", "week", days) == []
    assert overruns("1.5", "week", days)[0].planned == Decimal("2")


def test_month_and_year_quotas():
    september = [dt.date(2026, 9, d) for d in (1, 2, 3, 4, 7)]
    assert overruns("4", "month", september)[0].start == dt.date(2026, 9, 1)
    assert overruns("5", "month", september) == []
    assert overruns("4", "year", september)[0].quota == Decimal("4")
    assert overruns("5", "year", september) == []


def test_a_partly_covered_period_has_a_pro_rated_quota_rounded_up_to_the_half_day():
    # 10 days a year from 1 September 2026: September to December hold 86 of the year's 252
    # working days, 10 × 86 / 252 = 3.4 → 3.5 days.
    days = [dt.date(2026, 9, d) for d in (1, 2, 3, 4)]
    found = overruns("10", "year", days, start=dt.date(2026, 9, 1))
    assert found[0].quota == Decimal("3.5") and found[0].planned == Decimal("4")
    # An agreement starting on a Wednesday: 2 days a week × 3/5 → 1.2 → 1.5.
    week = [dt.date(2026, 9, 2), dt.date(2026, 9, 3)]
    assert overruns("2", "week", week, start=dt.date(2026, 9, 2))[0].quota == Decimal("1.5")
