import numpy as np
import pytest

from mutualis.detection.baseline import leakdb_mnf
from mutualis.detection.heating import degree_days, heating
from mutualis.detection.network import balance
from mutualis.detection.presence import inactivity, silent
from mutualis.detection.series import Hourly
from mutualis.detection.tests.helpers import DAY, block, days_of, with_leak


def test_leakdb_labels_a_day_whose_minimum_rises_above_gamma_times_the_window_minimum() -> None:
    flow = days_of(DAY + 10.0, 30)  # a minimum of 10 L/h every day
    assert len(leakdb_mnf(block(flow))) == 0
    up = with_leak(flow, 20 * 24, 1.5)  # +15 %: above gamma = 10 %
    found = leakdb_mnf(block(up))
    assert found.hour.tolist() == [20 * 24 + 23]
    small = with_leak(flow, 20 * 24, 0.5)  # +5 %
    assert len(leakdb_mnf(block(small))) == 0


def test_leakdb_window_does_not_learn_the_leak() -> None:
    flow = with_leak(days_of(DAY + 10.0, 40), 15 * 24, 2.0)
    found = leakdb_mnf(block(flow))
    assert found.hour.tolist() == [15 * 24 + 23]  # one run: every later day stays labelled


def test_network_balance_flags_a_loss_and_not_a_silent_meter() -> None:
    meters = block([days_of(DAY, 3), days_of(DAY, 3)])
    district = block(days_of(DAY * 2, 3))
    district.flow[0, 24:48] += 20.0  # 480 L lost on day 1
    _, alarms = balance(district, meters, np.array([0, 0]))
    assert alarms.hour.tolist() == [47]
    assert alarms.excess[0] == pytest.approx(480.0)
    silent_meter = Hourly(meters.flow, meters.observed.copy())
    silent_meter.observed[1, 24:48] = False
    _, alarms = balance(district, silent_meter, np.array([0, 0]))
    assert len(alarms) == 0


def test_silence_is_relative_to_the_expected_interval() -> None:
    last = np.array([0.0, 0.0, np.nan])
    interval = np.array([3600.0, 86400.0, 3600.0])
    assert silent(last, interval, now=4 * 3600).tolist() == [True, False, False]


def test_inactivity_when_a_home_uses_no_water_at_its_usual_hours() -> None:
    flow = days_of(DAY, 30)
    flow[29 * 24 :] = 0.0  # nothing on the last day
    found = inactivity(block(flow))
    assert found.meter.tolist() == [0]
    assert 29 * 24 + 6 <= found.hour[0] <= 29 * 24 + 23
    # a home never used in the morning is not inactive for a quiet morning
    assert len(inactivity(block(days_of(DAY, 30)))) == 0


def test_heating_flags_an_empty_building_heated_and_a_day_out_of_line() -> None:
    rng = np.random.default_rng(3)
    days = 60
    temp = rng.uniform(-2, 15, days)
    dju = degree_days(temp)
    occupied = np.ones((2, days), dtype=bool)
    occupied[:, 5::7] = occupied[:, 6::7] = False  # weekends
    energy = np.vstack([50 + 12 * dju, 50 + 12 * dju]) * np.where(occupied, 1.0, 0.1)
    energy += rng.normal(0, 3, energy.shape)
    energy[1, 6] = 50 + 12 * dju[6]  # building 1 heated on a Sunday
    energy[0, 10] *= 2  # building 0 out of line one day
    fit, alarms = heating(energy, temp, occupied)
    assert fit.slope[0] == pytest.approx(12, rel=0.05)
    found = set(
        zip(alarms.meter.tolist(), (alarms.hour // 24).tolist(), alarms.rule_names(), strict=True)
    )
    assert (0, 10, "heating_out_of_line") in found
    if dju[6] >= 5:
        assert (1, 6, "heating_unoccupied") in found
    assert all(m == 1 for m, d, r in found if r == "heating_unoccupied")
