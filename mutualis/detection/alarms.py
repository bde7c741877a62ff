"""Alarms as columns: which meter, at which hour, by which rule, by how much.

An alarm at ``hour = t`` is raised at the end of hour ``t`` of the block (it reads nothing
later). The rules emit the *first* hour of each run of alarming hours or days, not every hour;
:func:`episodes` then merges a meter's alarms into episodes — what becomes one alert.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mutualis.detection.series import BoolArray, FloatArray, IntArray

RULES: tuple[str, ...] = (
    "continuous_flow",
    "night_flow",
    "daily_jump",
    "leakdb_mnf",
    "network_balance",
    "silence",
    "inactivity",
    "heating_unoccupied",
    "heating_out_of_line",
)
"""The rule names, in the order of their codes (``Alarms.rule``)."""


def rule_code(name: str) -> int:
    return RULES.index(name)


@dataclass(frozen=True)
class Alarms:
    """Alarms of one or several rules; ``excess`` is what the rule measured above its
    threshold's reference (L/h for the leak rules, L for the daily jump, kWh for heating)."""

    meter: IntArray
    hour: IntArray
    rule: IntArray
    excess: FloatArray

    @staticmethod
    def empty() -> Alarms:
        none = np.zeros(0, dtype=np.int64)
        return Alarms(none, none.copy(), none.copy(), np.zeros(0))

    def __len__(self) -> int:
        return int(self.meter.size)

    def rule_names(self) -> list[str]:
        return [RULES[int(code)] for code in self.rule]

    def offset(self, meters: int) -> Alarms:
        """The same alarms with meter numbers shifted (a chunk's alarms in the whole set)."""
        return Alarms(self.meter + meters, self.hour, self.rule, self.excess)

    def sorted(self) -> Alarms:
        order = np.lexsort((self.rule, self.hour, self.meter))
        return Alarms(self.meter[order], self.hour[order], self.rule[order], self.excess[order])


def concat(parts: list[Alarms]) -> Alarms:
    if not parts:
        return Alarms.empty()
    return Alarms(
        np.concatenate([p.meter for p in parts]),
        np.concatenate([p.hour for p in parts]),
        np.concatenate([p.rule for p in parts]),
        np.concatenate([p.excess for p in parts]),
    ).sorted()


def rising_edges(flags: BoolArray) -> tuple[IntArray, IntArray]:
    """``(row, column)`` of each cell set whose left neighbour is not (start of each run)."""
    previous = np.zeros_like(flags)
    previous[:, 1:] = flags[:, :-1]
    rows, cols = np.nonzero(flags & ~previous)
    return rows.astype(np.int64), cols.astype(np.int64)


def from_flags(flags: BoolArray, excess: FloatArray, rule: str, *, hour_of: IntArray) -> Alarms:
    """Alarms at the start of each run of ``flags`` (meters × columns); column ``c`` is raised
    at hour ``hour_of[c]``."""
    rows, cols = rising_edges(flags)
    return Alarms(
        rows,
        hour_of[cols],
        np.full(rows.size, rule_code(rule), dtype=np.int64),
        excess[rows, cols].astype(np.float64),
    )


def episodes(alarms: Alarms, *, gap_hours: int = 24) -> Alarms:
    """One alarm per episode: a meter's alarms (any rule) closer than ``gap_hours`` to the
    previous one belong to the same episode, kept at its first alarm."""
    if len(alarms) == 0:
        return alarms
    a = alarms.sorted()
    new_meter = np.ones(len(a), dtype=np.bool_)
    new_meter[1:] = a.meter[1:] != a.meter[:-1]
    far = np.ones(len(a), dtype=np.bool_)
    far[1:] = (a.hour[1:] - a.hour[:-1]) > gap_hours
    first = new_meter | far
    return Alarms(a.meter[first], a.hour[first], a.rule[first], a.excess[first])
