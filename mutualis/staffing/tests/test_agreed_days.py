"""Days agreed in a month, for quotas per week, month or year, pro-rated."""

import datetime as dt
from decimal import Decimal

from mutualis.staffing.calendar import agreed_days_in_month, working_days


def agreed(amount, per, start=dt.date(2026, 1, 1), end=None, month=9):
    return agreed_days_in_month(
        amount=Decimal(amount),
        per=per,
        agreement_start=start,
        agreement_end=end,
        year=2026,
        month=month,
    )


def test_working_days_leave_out_weekends_and_holidays():
    assert working_days(dt.date(2026, 9, 1), dt.date(2026, 9, 30)) == 22
    assert (
        working_days(dt.date(2026, 5, 1), dt.date(2026, 5, 31)) == 17
    )  # 21 weekdays; 1, 8, 14, 25 May off


def test_two_days_a_week_over_a_full_month():
    assert agreed("2", "week") == Decimal("2") * 22 / 5


def test_per_month_and_per_year():
    assert agreed("4", "month") == Decimal("4")
    assert agreed("24", "year") == Decimal("2")


def test_an_agreement_starting_mid_month_is_pro_rated():
    # 16 to 30 September 2026: 11 working days of 22.
    assert agreed("4", "month", start=dt.date(2026, 9, 16)) == Decimal("2")
    assert agreed("1", "week", start=dt.date(2026, 9, 16)) == Decimal("11") / 5


def test_outside_the_agreement_nothing_is_agreed():
    assert agreed("2", "week", end=dt.date(2026, 8, 31)) == 0
