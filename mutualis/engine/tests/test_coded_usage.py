"""Usage handed with integer codes (dictionary-encoded ids) reads exactly as with id strings."""

from __future__ import annotations

import itertools

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mutualis.engine import Inputs, allocate_many, parse_tariff
from mutualis.engine import usage as usage_module
from mutualis.engine.frames import coded_usage, encoded_usage
from mutualis.engine.model import USAGE_SCHEMA, InputError, members_frame
from mutualis.engine.tariff import YearReading
from mutualis.engine.tests.helpers import territory

MEMBERS = members_frame(territory())
IDS = sorted(MEMBERS["id"].to_list())
SERVICES = ["nas", "ent", "other"]
READINGS = ["last", "mean", "max", "sum"]


def tariffs(readings: list[str]) -> list[object]:
    return [
        parse_tariff(
            f'service = "{service}"\nyear = 2026\n[usage]\nmode = "stock"\nyear = "{reading}"\n'
            + (
                "[cost_sharing]\ncost = 1000\n"
                if i % 2
                else '[[components]]\ntype = "unit_price"\nprice = 1\n'
            )
        )
        for i, (service, reading) in enumerate(zip(SERVICES[:2], readings, strict=True))
    ]


def lines(usage: pl.DataFrame, readings: list[str]) -> pl.DataFrame:
    results = allocate_many(tariffs(readings), Inputs.build(MEMBERS, None, usage), 2026)  # type: ignore[arg-type]
    return pl.concat([r.lines for r in results], how="diagonal_relaxed")


rows = st.lists(
    st.tuples(
        st.sampled_from(IDS),
        st.sampled_from(SERVICES),
        st.sampled_from([2025, 2026]),
        st.integers(1, 12),
        st.integers(0, 10**7),
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(
    rows=rows,
    readings=st.lists(st.sampled_from(READINGS), min_size=2, max_size=2),
    parts=st.integers(1, 3),
    whole_dictionary=st.booleans(),
)
def test_coded_rows_give_the_lines_of_the_strings(
    rows: list[tuple[str, str, int, int, int]],
    readings: list[str],
    parts: int,
    whole_dictionary: bool,
) -> None:
    """Same lines, whatever the dictionary (every member in id order, or only the ids found in
    any order) and however the frame is chunked."""
    strings = pl.DataFrame(
        rows,
        schema={
            "member_id": pl.String,
            "service": pl.String,
            "year": pl.Int32,
            "month": pl.Int8,
            "quantity": pl.Int64,
        },
        orient="row",
    )
    dictionary = (
        pl.Series(IDS)
        if whole_dictionary
        else pl.Series(sorted({r[0] for r in rows}, reverse=True))
    )
    coded = encoded_usage(strings, dictionary)
    size = -(-coded.height // parts) if coded.height else 1
    chunked = pl.concat([coded.slice(i, size) for i in range(0, max(coded.height, 1), size)])
    expected = lines(strings, readings)
    assert lines(coded, readings).equals(expected)
    assert lines(chunked, readings).equals(expected)


def test_coded_usage_from_integer_codes() -> None:
    ids = ["C2", "C1", "XX"]
    frame = coded_usage(
        ids,
        np.array([0, 1, 0]),
        ["nas", "ent"],
        np.array([0, 0, 1]),
        [2026, 2026, 2026],
        [3, 3, 4],
        [2_000, 5_000, 1_000],
    )
    assert frame["member_id"].cast(pl.String).to_list() == ["C2", "C1", "C2"]
    assert frame["service"].cast(pl.String).to_list() == ["nas", "nas", "ent"]
    with pytest.raises(ValueError, match="hors du dictionnaire"):
        coded_usage(ids, [3], ["nas"], [0], [2026], [1], [1])


def test_an_unknown_member_in_the_dictionary_is_named() -> None:
    coded = coded_usage(["C1", "ZZ9"], [0, 1], ["nas"], [0, 0], [2026] * 2, [1, 2], [1, 2])
    with pytest.raises(InputError, match="membre inconnu « ZZ9 » \\(nas\\)"):
        lines(coded, ["last", "last"])
    # Not a row of the year: not read, no error.
    coded = coded_usage(["C1", "ZZ9"], [0, 1], ["nas"], [0, 0], [2026, 2025], [1, 2], [1, 2])
    assert lines(coded, ["last", "last"])["member_id"].to_list() == ["C1"]


@settings(max_examples=80, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.integers(0, 11), st.integers(1, 12), st.integers(0, 10**6)), max_size=60
    ),
    cuts=st.lists(st.integers(0, 60), max_size=3),
    grouped=st.booleans(),
    by_month=st.booleans(),
)
def test_runs_of_keys_read_as_keys_one_by_one(
    rows: list[tuple[int, int, int]], cuts: list[int], grouped: bool, by_month: bool
) -> None:
    """Rows whose keys come together (reduced run by run; with one row per month in order,
    the last one) read as the general way (per key)."""
    if grouped:  # together, not in key order; by month within a key, or not
        rows = sorted(rows, key=lambda r: ((r[0] * 7) % 12, r[1] if by_month else 0))
    key = np.array([r[0] for r in rows], dtype=np.int64)
    month = np.array([r[1] for r in rows], dtype=np.int8)
    qty = np.array([r[2] for r in rows], dtype=np.int64)
    bounds = [0, *sorted(min(c, len(rows)) for c in cuts), len(rows)]
    chunks = [(key[a:b], month[a:b], qty[a:b]) for a, b in itertools.pairwise(bounds)]
    needed = {YearReading.LAST, YearReading.SUM, YearReading.MEAN}
    by_runs = usage_module._by_runs(chunks, 12, needed)
    expected = usage_module._by_key(chunks, 12, needed)
    if grouped and len(bounds) == 2:
        assert by_runs is not None
    if by_runs is not None:
        for got, want in zip(by_runs, expected, strict=True):
            assert got.tolist() == want.tolist()


def test_members_coded_services_as_strings() -> None:
    coded = coded_usage(
        ["C1", "C2"], [0, 1, 1], ["ent", "nas"], [1, 1, 0], [2026] * 3, [1, 2, 3], [1, 2, 4]
    )
    strings = coded.with_columns(pl.col("service").cast(pl.String))
    expected = lines(coded.with_columns(pl.col("member_id").cast(pl.String)), ["last", "sum"])
    assert lines(strings, ["last", "sum"]).equals(expected)
    assert expected["member_id"].to_list() == ["C1", "C2", "C2"]


def test_a_duplicate_member_id_is_named() -> None:
    members = pl.concat([MEMBERS, MEMBERS.slice(3, 1)])
    with pytest.raises(InputError, match=f"identifiant en double « {MEMBERS['id'][3]} »"):
        Inputs.build(members, None, encoded_usage(pl.DataFrame(schema=USAGE_SCHEMA)))
