import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from mutualis.governance.rules import (
    Vote,
    clear_days,
    latest_sending_day,
    matiere_scdl_name,
    notice_respected,
    quorum_needed,
    vote_errors,
)


def test_clear_days_count_neither_the_sending_day_nor_the_meeting_day():
    # Sent on Tuesday 2, meeting on Wednesday 10: the 3rd to the 9th are 7 clear days.
    assert clear_days(dt.date(2025, 12, 2), dt.date(2025, 12, 10)) == 7
    assert notice_respected(dt.date(2025, 12, 4), dt.date(2025, 12, 10), 5)
    assert not notice_respected(dt.date(2025, 12, 5), dt.date(2025, 12, 10), 5)


@given(st.dates(dt.date(2000, 1, 1), dt.date(2090, 1, 1)), st.integers(0, 15))
def test_the_latest_sending_day_is_the_last_one_on_time(meeting_on, notice):
    last = latest_sending_day(meeting_on, notice)
    assert notice_respected(last, meeting_on, notice)
    assert not notice_respected(last + dt.timedelta(days=1), meeting_on, notice)


def test_quorum_is_more_than_half_of_the_members_in_office():
    assert quorum_needed(12) == 7
    assert quorum_needed(13) == 7


def test_a_consistent_vote_passes_and_impossible_ones_are_named():
    assert vote_errors(Vote(12, 10, 1, 10, 0, 1)) == []
    fields = {field for field, _ in vote_errors(Vote(12, 13, 0, 13, 0, 0))}
    assert "present" in fields
    assert any("pouvoir" in m for _, m in vote_errors(Vote(12, 2, 3, 5, 0, 0)))
    assert any("plus que" in m for _, m in vote_errors(Vote(12, 8, 0, 7, 1, 1)))
    assert any("pas adoptée" in m for _, m in vote_errors(Vote(12, 8, 0, 4, 4, 0)))


def test_the_scdl_matiere_name_is_lower_case_level1_slash_level2():
    assert matiere_scdl_name("7.6") == "finances locales/contributions budgétaires"
    assert (
        matiere_scdl_name("8.4") == "domaines de compétences par thèmes/aménagement du territoire"
    )
