import numpy as np
import pytest

from mutualis.detection.series import Hourly, from_index, trailing_median, trailing_quantile


def test_a_gap_spreads_its_volume_over_the_missing_hours_which_stay_unobserved() -> None:
    index = np.full((1, 24), np.nan)
    index[0, :3] = [1.000, 1.002, 1.004]
    index[0, 6] = 1.010  # 6 L over hours 3..6
    index[0, 7:] = 1.010
    block = from_index(index, scale=1000)
    assert block.flow[0, 1:3].tolist() == pytest.approx([2.0, 2.0])
    assert block.flow[0, 3:7].tolist() == pytest.approx([1.5] * 4)
    assert block.observed[0, 1:3].all()
    assert not block.observed[0, 3:7].any()
    assert block.observed[0, 7]
    assert not block.observed[0, 0]  # no reading before the first


def test_a_register_going_backwards_is_a_reset_not_a_negative_flow() -> None:
    index = np.array([[5.0, 5.001, 0.0, 0.001] + [0.001] * 20])
    block = from_index(index, scale=1000)
    assert block.flow[0, 2] == 0
    assert not block.observed[0, 2]
    assert block.flow[0, 3] == pytest.approx(1.0)


def test_a_block_holds_whole_days() -> None:
    with pytest.raises(ValueError, match="journées entières"):
        Hourly(np.zeros((1, 30)), np.ones((1, 30), dtype=bool))


def test_trailing_statistics_read_only_previous_days() -> None:
    values = np.array([[1.0, 2.0, 3.0, 100.0, np.nan, 5.0]])
    median, mad = trailing_median(values, window=3, minimum_count=2)
    assert np.isnan(median[0, :2]).all()  # fewer than 2 previous days
    assert median[0, 2] == 1.5
    assert median[0, 3] == 2.0  # days 0..2, not day 3's own 100
    assert mad[0, 3] == 1.0
    assert median[0, 5] == pytest.approx(51.5)  # days 2..4, NaN left out
    q = trailing_quantile(values, window=3, minimum_count=3, q=1.0)
    assert q[0, 4] == 100.0
