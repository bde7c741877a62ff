"""Server-side SVG charts of a series: pure geometry, no Django (typed, mypy strict).

A chart is bars (consumptions, counts) or a line (levels such as a temperature): the
template draws what `chart()` computes, with a title, a description and the same values
in a table beside it.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 12, 12, 36


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class XLabel:
    x: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    line: str  # SVG polyline points ("x,y x,y …"), empty for bars
    dots: list[tuple[float, float]]
    ticks: list[Tick]
    x_labels: list[XLabel]
    baseline: float
    plot_left: int
    plot_right: int
    empty: bool


def nice_step(span: float, count: int = 4) -> float:
    """A round step (1, 2, 2.5 or 5 × 10ⁿ) dividing `span` in about `count` parts."""
    if span <= 0:
        return 1.0
    raw = span / count
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (1.0, 2.0, 2.5, 5.0, 10.0):
        if raw <= factor * power:
            return factor * power
    return 10.0 * power


def chart(
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    bars: bool,
    fmt: Callable[[float], str],
    label_every: int = 1,
) -> Chart:
    """The geometry of one series; None values leave a gap."""
    known = [v for v in values if v is not None]
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    n = max(len(values), 1)
    slot = plot_w / n
    if not known:
        return Chart(WIDTH, HEIGHT, [], "", [], [], [], TOP + plot_h, LEFT, WIDTH - RIGHT, True)
    low, high = min(known), max(known)
    if bars:
        low, high = min(low, 0.0), max(high, 0.0)
    if low == high:
        low, high = low - 1, high + 1
    step = nice_step(high - low)
    low = math.floor(low / step) * step
    high = math.ceil(high / step) * step

    def y_of(value: float) -> float:
        return TOP + plot_h * (high - value) / (high - low)

    ticks = []
    tick = low
    while tick <= high + step / 1000:
        ticks.append(Tick(round(y_of(tick), 1), fmt(tick)))
        tick += step
    baseline = round(y_of(0.0) if low <= 0 <= high else y_of(low), 1)
    drawn_bars: list[Bar] = []
    points: list[tuple[float, float]] = []
    for i, value in enumerate(values):
        if value is None:
            continue
        x = LEFT + i * slot
        if bars:
            top = y_of(max(value, 0.0))
            bottom = y_of(min(value, 0.0))
            drawn_bars.append(
                Bar(
                    round(x + slot * 0.15, 1),
                    round(top, 1),
                    round(slot * 0.7, 1),
                    round(max(bottom - top, 0.5), 1),
                    labels[i],
                )
            )
        else:
            points.append((round(x + slot / 2, 1), round(y_of(value), 1)))
    x_labels = [
        XLabel(round(LEFT + i * slot + slot / 2, 1), label)
        for i, label in enumerate(labels)
        if i % max(label_every, 1) == 0
    ]
    line = " ".join(f"{x},{y}" for x, y in points)
    return Chart(
        WIDTH,
        HEIGHT,
        drawn_bars,
        line,
        points,
        ticks,
        x_labels,
        baseline,
        LEFT,
        WIDTH - RIGHT,
        False,
    )
