"""The support figures: median, 90th percentile (nearest rank), SLA shares, longest waits."""

import datetime as dt

import pytest

from mutualis.support.figures import (
    TicketTimes,
    figures,
    format_duration,
    median,
    nearest_rank,
)

T0 = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
H = 3600


def ticket(n, *, done=True, response=None, resolution=None, **times) -> TicketTimes:
    return TicketTimes(
        ref=str(n),
        title=f"Demande {n}",
        opened_at=times.pop("opened_at", T0),
        done=done,
        response_seconds=response,
        resolution_seconds=resolution,
        **times,
    )


def test_median_and_nearest_rank():
    assert median([5, 1, 3]) == 3
    assert median([4, 1, 3, 2]) == 2.5
    values = list(range(1, 11))  # 1..10
    assert nearest_rank(values, 90) == 9  # 9 of the 10 waited 9 or less
    assert nearest_rank([7], 90) == 7
    with pytest.raises(ValueError):
        median([])


def test_figures_of_a_year():
    tickets = [ticket(n, response=n * H, resolution=10 * n * H) for n in range(1, 11)]
    tickets.append(ticket(11, done=False, response=None, opened_at=NOW - dt.timedelta(days=30)))
    result = figures(tickets, NOW)
    assert (result.tickets, result.open) == (11, 1)
    assert result.response.count == 10 and result.response.median == 5.5 * H
    assert result.response.p90 == 9 * H
    assert result.resolution.median == 55 * H and result.resolution.p90 == 90 * H
    # The open ticket has waited 30 days: the longest wait, before the 100-hour one.
    assert [w.ref for w in result.longest] == ["11", "10", "9", "8", "7"]
    assert result.longest[0].seconds == 30 * 24 * H and not result.longest[0].done


def test_sla_counts_met_missed_and_open_past_target_but_not_open_within_it():
    target = T0 + dt.timedelta(hours=8)
    tickets = [
        ticket(1, solved_at=T0 + dt.timedelta(hours=2), time_to_resolve=target),  # met
        ticket(2, solved_at=T0 + dt.timedelta(hours=9), time_to_resolve=target),  # late
        ticket(3, done=False, time_to_resolve=target),  # open, past its target: missed
        ticket(4, done=False, time_to_resolve=NOW + dt.timedelta(days=1)),  # not yet known
        ticket(5, solved_at=T0),  # no target: not counted
    ]
    share = figures(tickets, NOW).resolution_sla
    assert (share.met, share.counted) == (1, 3)
    assert round(share.percent, 1) == 33.3
    assert figures([], NOW).response_sla.percent is None


def test_durations_read_in_french():
    assert format_duration(None) == "—"
    assert format_duration(25 * 60) == "25 min"
    assert format_duration(3.5 * H) == "3,5 h"
    assert format_duration(5 * H) == "5 h"
    assert format_duration(52 * H) == "2 j 4 h"
    assert format_duration(48 * H) == "2 j"
