"""Runs every worked example of docs/tariffs.md and compares the bills exactly.

An example is a ``### Exemple`` section holding a ```toml block (the tariff), a ```csv membres
block, a ```csv consommations block, optionally a ```csv souscriptions block, then a markdown
table of the expected lines: membre | payeur | montant | explication.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from mutualis.engine import Inputs, allocate_many, parse_tariff
from mutualis.engine.io import read_members, read_subscriptions, read_usage
from mutualis.engine.money import cents_text

GUIDE = Path(__file__).with_name("tariffs.md")
BLOCK = re.compile(r"```(\w+)(?: (\w+))?\n(.*?)```", re.S)


@dataclass
class Example:
    title: str
    tariff: str = ""
    files: dict[str, str] = field(default_factory=dict)
    expected: list[list[str]] = field(default_factory=list)


def examples() -> list[Example]:
    text = GUIDE.read_text(encoding="utf-8")
    found = []
    for section in re.split(r"^### ", text, flags=re.M)[1:]:
        title = section.splitlines()[0].strip()
        if not title.startswith("Exemple"):
            continue
        example = Example(title)
        for lang, name, body in BLOCK.findall(section):
            if lang == "toml":
                example.tariff = body
            elif lang == "csv":
                example.files[name] = body
        rows = [line for line in section.splitlines() if line.startswith("|")]
        for line in rows[2:]:
            example.expected.append([cell.strip() for cell in line.strip("|").split("|")])
        found.append(example)
    return found


def normalize(text: str) -> str:
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


def run_example(example: Example, tmp: Path | None = None) -> list[list[str]]:
    import tempfile

    directory = Path(tmp or tempfile.mkdtemp())
    paths = {}
    for name, body in example.files.items():
        paths[name] = directory / f"{name}.csv"
        paths[name].write_text(body, encoding="utf-8")
    tariff = parse_tariff(example.tariff, source=example.title)
    subs = read_subscriptions(paths["souscriptions"]) if "souscriptions" in paths else None
    inputs = Inputs.build(read_members(paths["membres"]), subs, read_usage(paths["consommations"]))
    (result,) = allocate_many([tariff], inputs, tariff.year)
    frame = result.to_frame()
    return [
        [
            row["member_id"],
            row["payer_id"],
            cents_text(row["amount_cents"]).replace(".", ","),
            normalize(row["explanation"]),
        ]
        for row in frame.iter_rows(named=True)
    ]


ALL = examples()


def test_the_guide_has_examples() -> None:
    assert len(ALL) >= 10


@pytest.mark.parametrize("example", ALL, ids=[e.title for e in ALL])
def test_example_bills_match(example: Example, tmp_path: Path) -> None:
    got = run_example(example, tmp_path)
    expected = [[normalize(cell) for cell in row] for row in example.expected]
    assert got == expected
