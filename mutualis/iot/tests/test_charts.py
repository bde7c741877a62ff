"""The SVG charts' geometry: round scales, gaps where there is no value, bars from zero."""

from mutualis.iot.charts import HEIGHT, chart, nice_step


def test_the_scale_steps_are_round():
    assert [nice_step(span) for span in (4, 7, 9.5, 130, 0.37)] == [1, 2, 2.5, 50, 0.1]


def test_a_missing_value_leaves_a_gap_and_no_value_at_all_says_so():
    line = chart(["1", "2", "3"], [20.5, None, 21.0], bars=False, fmt=str)
    assert len(line.dots) == 2 and line.dots[0][0] < line.dots[1][0]
    assert chart(["1"], [None], bars=False, fmt=str).empty


def test_bars_stand_on_zero_and_the_highest_is_tallest():
    bars = chart(["janv.", "févr."], [3.0, 12.0], bars=True, fmt=lambda v: f"{v:g}")
    assert bars.ticks[0].label == "0"
    low, high = bars.bars
    assert high.height > low.height
    assert abs(low.y + low.height - bars.baseline) < 0.2 and bars.baseline < HEIGHT
