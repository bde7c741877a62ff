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
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from mutualis.engine.inputs import MemberIndex
from mutualis.engine.money import IntArray
from mutualis.engine.tariff import YearReading

KEY = "key"
"""``service position × members + member index``: one integer per (service, member)."""
MonthArray = npt.NDArray[np.int8]
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


def read_rows(
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
        pl.col("month").cast(pl.Int8),
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


Rows = tuple[IntArray, MonthArray, IntArray]
"""(key, month, quantity) of usage rows."""


def coded_rows(
    usage: pl.DataFrame, index: MemberIndex, year: int, services: Sequence[str]
) -> tuple[list[Rows], dict[int, str]] | None:
    """The year's rows of ``services`` as (key, month, quantity) arrays, when the member ids of
    ``usage`` come dictionary-encoded (a ``pl.Enum`` column, see
    :func:`~mutualis.engine.frames.coded_usage`): only the dictionary's ids are mapped to
    member indices, each row's key is then array lookups on its integer codes — no string is
    read per row, and the frame's columns are read in place, chunk by chunk (no copy). None
    when the frame is not encoded so (or has nulls): use :func:`read_rows`."""
    member, service = usage["member_id"], usage["service"]
    if not isinstance(member.dtype, pl.Enum) or any(
        usage[c].null_count() for c in ("member_id", "service", "year", "month", "quantity")
    ):
        return None
    size = index.ids.len()
    categories = member.dtype.categories
    member_of: IntArray | None = None  # None: the dictionary is the sorted member ids
    if not (categories.len() == size and categories.equals(index.ids)):
        (found,) = index.of([categories])
        member_of = found.cast(pl.Int64).fill_null(-1).to_numpy()
    if isinstance(service.dtype, pl.Enum):
        wanted = {name: i for i, name in enumerate(services)}
        service_of = np.asarray(
            [wanted.get(name, -1) for name in service.dtype.categories.to_list()], dtype=np.int64
        )
        columns = usage.select(
            pl.col("member_id").to_physical(),
            pl.col("service").to_physical(),
            "year",
            "month",
            "quantity",
        )
    else:
        service_of = np.r_[np.arange(len(services)), -1].astype(np.int64)  # last: another
        columns = usage.select(
            pl.col("member_id").to_physical(),
            service_position(services).fill_null(len(services)),
            "year",
            "month",
            "quantity",
        )
    # The first key of each service code (a large negative number: not a service of the run).
    base = np.where(service_of >= 0, service_of * size, -(2**62)).astype(np.int64)
    unmapped = member_of is not None and bool((member_of < 0).any())
    # Checks per row only when the whole columns do not settle them (their min and max).
    one_year = usage["year"].min() == year == usage["year"].max()
    every_service = bool((service_of >= 0).all())
    out: list[Rows] = []
    unknown: dict[int, str] = {}
    for codes, service_codes, years, month, quantity in _chunks(columns):
        keep = None if one_year or (years == year).all() else years == year
        if unmapped:  # ids of the dictionary that are not members: named per service
            assert member_of is not None
            first_key = base[service_codes]
            member_idx = member_of[codes]
            key = first_key + member_idx
            missing = (first_key >= 0) & (member_idx < 0)
            if keep is not None:
                missing &= keep
            if missing.any():
                rows = np.flatnonzero(missing)
                positions, first = np.unique(first_key[rows] // size, return_index=True)
                names = categories.gather(codes[rows[first]].astype(np.int64)).to_list()
                for p, n in zip(positions.tolist(), names, strict=True):
                    unknown.setdefault(int(p), str(n))
                key[rows] = -1
        else:
            key = base[service_codes]
            key += codes if member_of is None else member_of[codes]
        if keep is not None:
            keep &= key >= 0
        elif (unmapped or not every_service) and not (key >= 0).all():
            keep = key >= 0
        if keep is not None:
            key, month, quantity = key[keep], month[keep], quantity[keep]
        out.append((key, month.astype(np.int8, copy=False), quantity.astype(np.int64, copy=False)))
    return out, unknown


def _chunks(frame: pl.DataFrame) -> list[list[npt.NDArray[Any]]]:
    """The columns of ``frame`` as NumPy arrays, chunk by chunk: views of polars' buffers when
    the columns are chunked alike (a frame of concatenated parts), one copy otherwise."""
    columns = [s.get_chunks() for s in frame.get_columns()]
    lengths = [[c.len() for c in chunks] for chunks in columns]
    if any(lens != lengths[0] for lens in lengths):
        columns = [[s] for s in frame.rechunk().get_columns()]
    return [[c.to_numpy() for c in chunk] for chunk in zip(*columns, strict=True)]


def read_year(
    usage: pl.DataFrame,
    index: MemberIndex,
    year: int,
    services: Sequence[str],
    readings: Sequence[YearReading],
) -> YearUsage:
    """The year's quantity (Int64 milli-units) of each service of ``services`` and member.

    ``index`` maps the member ids of the usage rows. Each row gets one integer key
    (``service position × members + member index``): from the integer codes of a
    dictionary-encoded frame (:func:`coded_rows`), otherwise in one pass that maps services
    and member ids (:func:`read_rows`). The readings are then aggregated per key with NumPy
    (``ufunc.at``, no sort nor hash): the last month with records and its total, the total of
    the year, the months with records, the largest monthly total (several records of one month
    are added up first).
    """
    size = index.ids.len()
    coded = coded_rows(usage, index, year, services)
    if coded is not None:
        chunks, unknown = coded
    else:
        frame, unknown = read_rows(usage, index, year, services)
        key = frame[KEY].to_numpy().astype(np.int64, copy=False)
        month = frame["month"].to_numpy().astype(np.int8, copy=False)
        quantity = frame["quantity"].to_numpy().astype(np.int64, copy=False)
        chunks = [(key, month, quantity)]
        del frame
    if not chunks:
        empty = np.zeros(0, dtype=np.int64)
        chunks = [(empty, empty.astype(np.int8), empty)]
    n_rows = sum(k.size for k, _, _ in chunks)
    n_keys = len(services) * size
    slot_key = None
    if n_keys > n_rows + DENSE_SLACK:  # many more possible keys than rows: number those present
        keys = np.concatenate([k for k, _, _ in chunks])
        slot_key, inverse = np.unique(keys, return_inverse=True)
        n_keys = int(slot_key.size)
        ends = np.cumsum([k.size for k, _, _ in chunks])[:-1]
        slots = np.split(inverse.astype(np.int64), ends)
        chunks = [(slot, m, q) for slot, (_, m, q) in zip(slots, chunks, strict=True)]
    needed = set(readings)
    by_runs = None
    if slot_key is None and YearReading.MAX not in needed:
        by_runs = _by_runs(chunks, n_keys, needed)
    if by_runs is not None:
        present, last, total, months = by_runs
    else:
        present, last, total, months = _by_key(chunks, n_keys, needed)
    zeros = np.zeros(present.size, dtype=np.int64)
    mean = largest = zeros
    if YearReading.MEAN in needed:
        mean = (2 * total + months) // np.maximum(2 * months, 1)
    if YearReading.MAX in needed:
        slot, month, quantity = (np.concatenate(c) for c in zip(*chunks, strict=True))
        rows = np.bincount(slot, minlength=n_keys)
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


def _by_key(
    chunks: Sequence[Rows], n_keys: int, needed: set[YearReading]
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """The keys present, sorted, and of each: the total of its last month, of its year, and
    its number of months with records — from arrays indexed by the key (``ufunc.at``)."""
    # The last month with records of each key (-1: no record), in one byte per key.
    last_month = np.full(n_keys, -1, dtype=np.int8)
    for slot, month, _ in chunks:
        np.maximum.at(last_month, slot, month)
    present = np.flatnonzero(last_month >= 0)
    last = total = months = np.zeros(present.size, dtype=np.int64)
    if YearReading.LAST in needed:
        sums = np.zeros(n_keys, dtype=np.int64)
        for slot, month, quantity in chunks:
            np.add.at(sums, slot, np.where(month == last_month[slot], quantity, 0))
        last = sums[present]
    if needed & {YearReading.MEAN, YearReading.MAX}:
        bits = np.zeros(n_keys, dtype=np.int32)
        for slot, month, _ in chunks:
            np.bitwise_or.at(bits, slot, np.left_shift(np.int32(1), month.astype(np.int32)))
        months = np.bitwise_count(bits)[present].astype(np.int64)
    if needed & {YearReading.SUM, YearReading.MEAN}:
        sums = np.zeros(n_keys, dtype=np.int64)
        for slot, _, quantity in chunks:
            np.add.at(sums, slot, quantity)
        total = sums[present]
    return present, last, total, months


def _by_runs(
    chunks: Sequence[Rows], n_keys: int, needed: set[YearReading]
) -> tuple[IntArray, IntArray, IntArray, IntArray] | None:
    """As :func:`_by_key`, when the rows of each key come together (a reader ordering by
    service and member does so, in any order of the keys): each run of equal keys is reduced
    in one sequential pass (``ufunc.reduceat``), no random access per row. None when a key
    comes in several runs."""
    runs = []
    for key, _, _ in chunks:
        starts = np.flatnonzero(key[1:] != key[:-1])
        starts += 1
        runs.append(np.concatenate([np.zeros(min(key.size, 1), dtype=np.int64), starts]))
    run_keys = np.concatenate(
        [key[starts] for (key, _, _), starts in zip(chunks, runs, strict=True)]
    )
    seen = np.zeros(n_keys, dtype=np.bool_)
    seen[run_keys] = True
    present = np.flatnonzero(seen)
    if present.size != run_keys.size:
        return None
    parts: dict[str, list[IntArray]] = {"last": [], "total": [], "months": []}
    for (_, month, quantity), starts in zip(chunks, runs, strict=True):
        if starts.size == 0:
            continue
        if YearReading.LAST in needed:
            parts["last"].append(_last_of_runs(month, quantity, starts))
        if YearReading.MEAN in needed:
            bits = np.left_shift(np.int32(1), month.astype(np.int32))
            parts["months"].append(np.bitwise_count(np.bitwise_or.reduceat(bits, starts)))
        if needed & {YearReading.SUM, YearReading.MEAN}:
            parts["total"].append(np.add.reduceat(quantity, starts))
    run_of = np.zeros(n_keys, dtype=np.int32)
    run_of[run_keys] = np.arange(run_keys.size, dtype=np.int32)
    rank = run_of[present]  # the run of each present key, in key order
    zeros = np.zeros(present.size, dtype=np.int64)
    last, total, months = (
        np.concatenate(parts[name]).astype(np.int64)[rank] if parts[name] else zeros
        for name in ("last", "total", "months")
    )
    return present, last, total, months


def _last_of_runs(month: MonthArray, quantity: IntArray, starts: IntArray) -> IntArray:
    """The total of the last month of each run of rows (runs start at ``starts``)."""
    ends = np.r_[starts[1:], month.size] - 1
    later = month[1:] > month[:-1]
    later[starts[1:] - 1] = True  # a new run may start at any month
    if later.all():  # one record per month, in order (a reader ordering by month): the last row
        return np.asarray(quantity[ends], dtype=np.int64)
    last_month = np.maximum.reduceat(month, starts)
    at_last = month == np.repeat(last_month, ends - starts + 1)
    return np.add.reduceat(np.where(at_last, quantity, 0), starts)


def _largest_month(
    slot: IntArray,
    month: MonthArray,
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
