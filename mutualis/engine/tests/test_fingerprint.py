"""The fingerprint of the engine's inputs (version 2): the same values give the same
fingerprint however the frames were built; any change of a value, a null or a tariff shows."""

import io
from datetime import date

import polars as pl
import pytest

from mutualis.engine.fingerprint import fingerprint
from mutualis.engine.model import SUBSCRIPTION_SCHEMA, USAGE_SCHEMA


def frames() -> list[pl.DataFrame]:
    subs = pl.DataFrame(
        {
            "member_id": ["E1", "C1", "C2"],
            "service": ["nas", "nas", "ent"],
            "scope": ["with_communes", "self", "self"],
            "start": [date(2026, 7, 1), None, None],
            "end": [None, None, date(2026, 3, 31)],
            "establishments": [["S1", "S2"], [], []],
            "rebill": ["population", None, None],
            "rebill_own": [None, None, "equal"],
        },
        schema=SUBSCRIPTION_SCHEMA,
    )
    usage = pl.DataFrame(
        {
            "member_id": ["C1", "C2", "un identifiant assez long pour ne pas tenir en vue"],
            "service": ["nas", "nas", "ent"],
            "year": [2026, 2026, 2026],
            "month": [1, 12, 6],
            "quantity": [1_000, 0, 12_500],
        },
        schema=USAGE_SCHEMA,
    )
    return [subs, usage]


def test_the_same_values_give_the_same_fingerprint_however_built() -> None:
    reference = fingerprint(frames(), ["tarif"])
    assert len(reference) == 64

    def through_ipc(frame: pl.DataFrame) -> pl.DataFrame:
        buffer = io.BytesIO()
        frame.write_ipc(buffer, compression="zstd")
        return pl.read_ipc(io.BytesIO(buffer.getvalue()))

    assert fingerprint([through_ipc(f) for f in frames()], ["tarif"]) == reference
    rebuilt = [pl.concat([f.slice(0, 1), f.slice(1)], rechunk=False) for f in frames()]
    assert fingerprint(rebuilt, ["tarif"]) == reference
    reordered = [f.select(list(reversed(f.columns))) for f in frames()]
    assert fingerprint(reordered, ["tarif"]) == reference


@pytest.mark.parametrize(
    "change",
    [
        lambda fs: [fs[0], fs[1].with_columns(pl.col("quantity") + (pl.col("month") == 12))],
        lambda fs: [fs[0], fs[1].with_columns(pl.col("member_id").str.replace("C2", "C3"))],
        lambda fs: [fs[0].with_columns(pl.lit(None, dtype=pl.Date).alias("start")), fs[1]],
        lambda fs: [fs[0].with_columns(pl.col("establishments").list.head(1)), fs[1]],
        lambda fs: [fs[0].with_columns(pl.col("rebill").fill_null("")), fs[1]],
        lambda fs: [fs[0], fs[1].head(2)],
        lambda fs: [fs[1], fs[0]],
    ],
)
def test_any_change_of_the_inputs_changes_the_fingerprint(change) -> None:  # type: ignore[no-untyped-def]
    assert fingerprint(change(frames()), ["tarif"]) != fingerprint(frames(), ["tarif"])


def test_the_tariff_texts_are_part_of_it() -> None:
    assert fingerprint(frames(), ["tarif"]) != fingerprint(frames(), ["tarif modifié"])
    assert fingerprint(frames(), ["ab", "c"]) != fingerprint(frames(), ["a", "bc"])
