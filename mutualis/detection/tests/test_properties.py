"""Invariants of the leak rules, on any regular day of a meter."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from mutualis.detection.alarms import Alarms
from mutualis.detection.baseline import leakdb_mnf
from mutualis.detection.leaks import LeakParams, detect_leaks
from mutualis.detection.scoring import score
from mutualis.detection.series import Hourly
from mutualis.detection.synthetic import generate
from mutualis.engine.tests.profiles import examples

hourly = st.lists(st.one_of(st.just(0.0), st.integers(0, 400).map(float)), min_size=24, max_size=24)


@examples(40)
@given(pattern=hourly, days=st.integers(20, 60))
def test_a_series_without_leak_nor_noise_never_alarms(pattern: list[float], days: int) -> None:
    flow = np.tile(np.array(pattern), (2, days))
    block = Hourly(flow, np.ones(flow.shape, dtype=bool))
    assert len(detect_leaks(block)) == 0
    assert len(leakdb_mnf(block)) == 0


@examples(30)
@given(
    pattern=hourly,
    leak=st.floats(0.0, 50.0),
    start=st.integers(15 * 24, 29 * 24),
    power=st.integers(-10, 10),
)
def test_a_change_of_unit_changes_nothing_in_the_alarm_set(
    pattern: list[float], leak: float, start: int, power: int
) -> None:
    flow = np.tile(np.array(pattern), 30)
    flow[start:] += leak
    seen = np.ones((1, flow.size), dtype=bool)
    factor = 2.0**power  # exact in binary floating point
    before = detect_leaks(Hourly(flow[None, :], seen))
    after = detect_leaks(Hourly(flow[None, :] * factor, seen), LeakParams().scaled(factor))
    assert after.hour.tolist() == before.hour.tolist()
    assert after.rule.tolist() == before.rule.tolist()
    assert np.allclose(after.excess, before.excess * factor)


@examples(10)
@given(seed=st.integers(0, 2**32 - 1))
def test_the_generator_is_reproducible_and_its_leaks_are_known(seed: int) -> None:
    a = generate(30, 40, seed=seed)
    b = generate(30, 40, seed=seed)
    assert np.array_equal(a.index, b.index, equal_nan=True)
    assert (a.leaks.start >= 30 * 24).all()
    assert (a.leaks.start < 38 * 24).all()
    reach = a.leaks.scored_from
    assert ((reach == -1) | (reach >= a.leaks.start)).all()
    assert (a.leaks.size[reach >= 0] >= 2.0).all()
    abrupt = (a.leaks.kind == 0) & (a.leaks.size >= 2.0)
    assert (reach[abrupt] == a.leaks.start[abrupt]).all()


def test_the_score_counts_detections_within_48_hours_and_false_alarms_per_meter_day() -> None:
    s = generate(200, 60, seed=7)
    leaks = s.leaks
    # a perfect oracle: one alarm 10 h after each scored leak reaches 2 L/h
    scored = leaks.scored_from >= 0
    oracle = Alarms(
        leaks.meter[scored],
        leaks.scored_from[scored] + 9,
        np.zeros(scored.sum(), dtype=np.int64),
        np.ones(scored.sum()),
    )
    result, delays = score(oracle, leaks, meters=200, days=60)
    assert result.detection_rate == 1.0
    assert result.false_alarms == 0
    assert set(delays.hours) == {10}
    # one alarm on a meter that never leaks, after the warm-up: one false alarm
    clean = int(np.setdiff1d(np.arange(200), leaks.meter)[0])
    noisy = Alarms(np.array([clean]), np.array([40 * 24]), np.array([0]), np.array([1.0]))
    result, _ = score(noisy, leaks, meters=200, days=60)
    assert result.false_alarms == 1
    assert result.detected == 0
