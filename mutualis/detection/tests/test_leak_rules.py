import numpy as np

from mutualis.detection.leaks import (
    LeakParams,
    continuous_flow,
    daily_jump,
    detect_leaks,
    night_flow,
)
from mutualis.detection.tests.helpers import DAY, block, days_of, with_leak

DAYS = 40
LEAK_AT = 30 * 24 + 13  # day 30, 13:00


def test_a_quiet_home_without_leak_raises_nothing() -> None:
    assert len(detect_leaks(block(days_of(DAY, DAYS)))) == 0


def test_a_small_abrupt_leak_is_found_by_night_flow_and_continuous_flow_within_48_hours() -> None:
    flow = with_leak(days_of(DAY, DAYS), LEAK_AT, 2.0)
    night = night_flow(block(flow))
    assert night.meter.tolist() == [0]
    assert night.hour[0] == 31 * 24 + 5  # the first whole night after, read at 06:00
    assert night.excess[0] == 2.0
    cont = continuous_flow(block(flow))
    last_zero = 30 * 24 + 10  # 10:00, the last hour without use before the leak
    assert cont.hour[0] == last_zero + 24  # 24 hours of flow in a row
    assert cont.hour[0] - LEAK_AT < 48


def test_a_leak_below_the_margin_is_not_a_night_alarm() -> None:
    flow = with_leak(days_of(DAY, DAYS), LEAK_AT, 1.0)
    assert len(night_flow(block(flow))) == 0


def test_a_night_only_leak_is_a_night_flow_not_a_continuous_flow() -> None:
    flow = with_leak(days_of(DAY, DAYS), LEAK_AT, 5.0, night_only=True)
    assert len(night_flow(block(flow))) == 1
    assert len(continuous_flow(block(flow))) == 0


def test_a_permanent_legitimate_flow_is_the_meter_baseline_not_a_leak() -> None:
    flush = days_of(DAY, DAYS) + 4.0  # an automatic urinal flush, day and night
    assert len(detect_leaks(block(flush))) == 0
    # ... and a leak on top of it is still seen at night
    found = night_flow(block(with_leak(flush, LEAK_AT, 3.0)))
    assert found.excess.tolist() == [3.0]


def test_unread_night_hours_give_no_verdict() -> None:
    flow = with_leak(days_of(DAY, DAYS), LEAK_AT, 3.0)
    seen = np.ones((1, flow.size), dtype=bool)
    hours = np.arange(flow.size)
    seen[0, (hours % 24 < 6) & (hours >= 30 * 24)] = False  # every later night unread
    assert len(night_flow(block(flow, seen))) == 0


def test_a_lasting_jump_of_daily_volume_is_flagged_after_two_days() -> None:
    flow = with_leak(days_of(DAY, 70), 60 * 24, 40.0)
    found = daily_jump(block(flow))
    assert found.hour.tolist() == [61 * 24 + 23]
    assert found.excess[0] == 24 * 40.0
    one_day = days_of(DAY, 70)
    one_day[60 * 24 + 12] += 2000  # a pool filled once
    assert len(daily_jump(block(one_day))) == 0


def test_parameters_are_in_litres_and_scale_with_the_unit() -> None:
    p = LeakParams().scaled(0.001)
    assert p.zero_below == 0.001
    assert p.night_min_excess == 0.0015
