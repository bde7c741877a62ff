"""A small server-side SVG line chart of a series (no JavaScript), readable without colour:
the series is a line, the alert's moment a dashed vertical mark, with a text alternative."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT, LEFT, BOTTOM, TOP, RIGHT = 720, 240, 56, 28, 12, 12


def line_chart(
    points: Sequence[tuple[dt.datetime, float]],
    *,
    title: str,
    unit: str,
    mark: dt.datetime | None = None,
    second: Sequence[tuple[dt.datetime, float]] = (),
) -> str:
    """``second``: another series on the same axes, drawn dashed (told apart without colour)."""
    if not points:
        return ""
    t0, t1 = points[0][0], points[-1][0]
    span = max((t1 - t0).total_seconds(), 1.0)
    values = [v for _, v in points] + [v for _, v in second]
    low, high = min(0.0, min(values)), max(values)
    high = high if high > low else low + 1.0
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(t: dt.datetime) -> float:
        return LEFT + plot_w * (t - t0).total_seconds() / span

    def y(v: float) -> float:
        return TOP + plot_h * (1 - (v - low) / (high - low))

    path = " ".join(f"{x(t):.1f},{y(v):.1f}" for t, v in points)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="chart-title" class="chart">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" '
        'stroke="#3a3a3a"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" stroke="#3a3a3a"/>',
        f'<text x="{LEFT - 6}" y="{TOP + 10}" text-anchor="end" font-size="12">{_num(high)}</text>',
        f'<text x="{LEFT - 6}" y="{TOP + plot_h}" text-anchor="end" font-size="12">'
        f"{_num(low)}</text>",
        f'<text x="{LEFT}" y="{HEIGHT - 8}" font-size="12">{t0:%d/%m %Hh}</text>',
        f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - 8}" text-anchor="end" font-size="12">'
        f"{t1:%d/%m %Hh}</text>",
        f'<text x="{LEFT + 4}" y="{TOP + 10}" font-size="12">{escape(unit)}</text>',
        f'<polyline fill="none" stroke="#000091" stroke-width="1.5" points="{path}"/>',
    ]
    if second:
        dashed = " ".join(f"{x(t):.1f},{y(v):.1f}" for t, v in second)
        parts.append(
            f'<polyline fill="none" stroke="#6a6a6a" stroke-width="2" stroke-dasharray="6 3" '
            f'points="{dashed}"/>'
        )
    if mark is not None and t0 <= mark <= t1:
        mx = x(mark)
        parts.append(
            f'<line x1="{mx:.1f}" y1="{TOP}" x2="{mx:.1f}" y2="{TOP + plot_h}" stroke="#b34000" '
            'stroke-dasharray="4 3" stroke-width="1.5"/>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _num(value: float) -> str:
    text = f"{value:,.1f}".replace(",", "\u202f").replace(".", ",")
    return text[:-2] if text.endswith(",0") else text
