"""Reading a year of usage from monthly records (stock vs flow units).

A record is (member, service, year, month, quantity in milli-units). Several records of the same
member, service and month add up (two NAS, two schools...). The year is then read as:

- ``last``: the total of the last month with records (stock units: GB stored, pupils);
- ``mean``: the mean of the monthly totals over the months with records, half up to 0.001;
- ``max``: the largest monthly total;
- ``sum``: the total of the year (flow units: certificates issued, days worked).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from mutualis.engine.inputs import MemberIndex
from mutualis.engine.money import IntArray
from mutualis.engine.tariff import YearReading

KEY = "key"
"""``service position × members + member index``: one integer per (service, member)."""
READINGS = [YearReading.LAST, YearReading.MEAN, YearReading.MAX, YearReading.SUM]


def service_position(services: Sequence[str]) -> pl.Expr:
    """Position of each row's service in ``services`` (Int64), null for another service."""
    enum = pl.Enum(pl.Series(services, dtype=pl.String))
    return pl.col("service").cast(pl.String).cast(enum, strict=False).to_physical().cast(pl.Int64)


@dataclass(frozen=True)
class YearUsage:
    """The quantity of the year of every (service, member) with records, sorted by key."""

    size: int
    key: IntArray
    quantity: IntArray
    offsets: IntArray
    """Rows of service ``s`` are ``offsets[s]:offsets[s + 1]``."""
    unknown: dict[int, str]
    """Service position → the first usage member id that is not a member."""

    def quantities(self, service: int) -> IntArray:
        """Quantity of every member (0 without records) for the service at this position."""
        out = np.zeros(self.size, dtype=np.int64)
        lo, hi = int(self.offsets[service]), int(self.offsets[service + 1])
        out[self.key[lo:hi] - service * self.size] = self.quantity[lo:hi]
        return out


DENSE_SLACK = 1 << 20
"""Keys are aggregated in arrays indexed by the key itself while there are at most about as
many possible keys as rows (plus this slack); beyond, keys are first numbered by a sort."""


def _rows(
    usage: pl.DataFrame, index: MemberIndex, year: int, services: Sequence[str]
) -> tuple[pl.DataFrame, dict[int, str]]:
    """The year's rows of ``services`` as (key, month, quantity), in one streaming pass that
    maps both the service and the member id of each row to integers; and, per service, the
    first member id that is not a member."""
    size = index.ids.len()
    rows = usage.lazy().filter(pl.col("year") == year)
    member = index.expr("member_id")
    if member is None:  # a null member id: the slower join
        (found,) = index.of([usage["member_id"]])
        rows = usage.lazy().with_columns(found.alias("member")).filter(pl.col("year") == year)
        member = pl.col("member")
    service = service_position(services)
    known = rows.filter(service.is_not_null())
    frame = known.select(
        (service * size + member.cast(pl.Int64)).alias(KEY),
        pl.col("month").cast(pl.Int64),
        "quantity",
    ).collect(engine="streaming")
    unknown: dict[int, str] = {}
    if frame[KEY].null_count():
        missing = (
            known.filter(member.is_null())
            .group_by(service.alias("service"))
            .agg(pl.first("member_id"))
            .collect()
        )
        unknown = {int(s): str(m) for s, m in missing.iter_rows()}
        frame = frame.filter(pl.col(KEY).is_not_null())
    return frame, unknown


def read_year(
    usage: pl.DataFrame,
    index: MemberIndex,
    year: int,
    services: Sequence[str],
    readings: Sequence[YearReading],
) -> YearUsage:
    """The year's quantity (Int64 milli-units) of each service of ``services`` and member.

    ``index`` maps the member ids of the usage rows. The rows are read in one pass that maps
    services and members to one integer key (``service position × members + member index``);
    the readings are then aggregated per key with NumPy (``ufunc.at``, no sort nor hash):
    the last month with records and its total, the total of the year, the months with
    records, the largest monthly total (several records of one month are added up first).
    """
    size = index.ids.len()
    frame, unknown = _rows(usage, index, year, services)
    key = frame[KEY].to_numpy().astype(np.int64, copy=False)
    month = frame["month"].to_numpy().astype(np.int64, copy=False)
    quantity = frame["quantity"].to_numpy().astype(np.int64, copy=False)
    del frame
    n_keys = len(services) * size
    if n_keys <= key.size + DENSE_SLACK:
        slot, slot_key = key, None
    else:  # many more possible keys than rows: number the keys present
        slot_key, inverse = np.unique(key, return_inverse=True)
        slot, n_keys = inverse.astype(np.int64), int(slot_key.size)
    rows = np.bincount(slot, minlength=n_keys)
    present = np.flatnonzero(rows)
    needed = set(readings)
    zeros = np.zeros(present.size, dtype=np.int64)
    last = total = mean = largest = zeros
    if YearReading.LAST in needed:
        last_month = np.zeros(n_keys, dtype=np.int64)
        np.maximum.at(last_month, slot, month)
        at_last = month == last_month[slot]
        sums = np.zeros(n_keys, dtype=np.int64)
        np.add.at(sums, slot[at_last], quantity[at_last])
        last = sums[present]
    months = zeros
    if needed & {YearReading.MEAN, YearReading.MAX}:
        bits = np.zeros(n_keys, dtype=np.int64)
        np.bitwise_or.at(bits, slot, np.left_shift(1, month))
        months = np.bitwise_count(bits)[present].astype(np.int64)
    if needed & {YearReading.SUM, YearReading.MEAN}:
        sums = np.zeros(n_keys, dtype=np.int64)
        np.add.at(sums, slot, quantity)
        total = sums[present]
        mean = (2 * total + months) // np.maximum(2 * months, 1)
    if YearReading.MAX in needed:
        largest = _largest_month(slot, month, quantity, n_keys, rows, present, months)
    reading = np.asarray([READINGS.index(r) for r in readings], dtype=np.int64)
    key_present = present if slot_key is None else slot_key[present]
    per_row = reading[key_present // size] if size else np.zeros(0, dtype=np.int64)
    quantities = np.choose(per_row, [last, mean, largest, total]) if present.size else zeros
    bounds = np.arange(len(services) + 1, dtype=np.int64) * size
    return YearUsage(
        size,
        key_present.astype(np.int64),
        quantities.astype(np.int64),
        np.searchsorted(key_present, bounds).astype(np.int64),
        unknown,
    )


def _largest_month(
    slot: IntArray,
    month: IntArray,
    quantity: IntArray,
    n_keys: int,
    rows: IntArray,
    present: IntArray,
    months: IntArray,
) -> IntArray:
    """The largest monthly total of each present key (several records of a month added up)."""
    largest = np.full(n_keys, np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(largest, slot, quantity)
    out = largest[present]
    duplicated = rows[present] != months
    if duplicated.any():
        dup_slots = present[duplicated]
        mask = np.isin(slot, dup_slots)
        monthly = (
            pl.DataFrame({"slot": slot[mask], "month": month[mask], "q": quantity[mask]})
            .group_by("slot", "month")
            .agg(pl.col("q").sum())
            .group_by("slot")
            .agg(pl.col("q").max())
            .sort("slot")
        )
        out[duplicated] = monthly["q"].to_numpy()
    return out
