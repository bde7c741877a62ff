"""Replays the worked example of docs/elus.md with the savings arithmetic of the élus' page
(mutualis.insights.arithmetic): each part's saving, the total, the rate and the quartiles."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

from mutualis.insights.arithmetic import Saving, SavingsPart, quartiles, rate, total_saving

GUIDE = Path(__file__).with_name("elus.md")
BLOCK = re.compile(r"```csv (\w+)\n(.*?)```", re.S)


def _cents(text: str) -> int | None:
    return int(Decimal(text) * 100) if text else None


def _tables(text: str) -> list[dict[str, str]]:
    tables: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in text.splitlines():
        if not line.startswith("|"):
            current = None
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if current is None:
            current = {}
            tables.append(current)
        elif not set(cells[0]) <= {"-"}:
            current[cells[0]] = cells[1]
    return tables


def test_the_worked_example_of_the_elus_guide() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    blocks = dict(BLOCK.findall(text))
    rows = list(csv.DictReader(io.StringIO(blocks["savings"])))
    parts: dict[str, list[Saving]] = {}
    for row in rows:
        parts.setdefault(row["partie"], []).append(
            Saving(row["ligne"], _cents(row["paye"]) or 0, _cents(row["seul"]), "")
        )
    built = {name: SavingsPart(name, "", tuple(lines)) for name, lines in parts.items()}
    savings_table, quartiles_table = (t for t in _tables(text) if t)
    for name, part in built.items():
        assert part.saving_cents == _cents(savings_table[name].replace(",", ".")), name
    total = total_saving(built.values())
    assert total == _cents(savings_table["total"].replace(",", "."))
    alone = sum(part.alone_cents for part in built.values())
    assert f"{rate(total, alone)}".replace(".", ",") + " %" in text
    values = [Decimal(r["valeur"]) for r in csv.DictReader(io.StringIO(blocks["quartiles"]))]
    group = quartiles(values)
    assert group is not None
    assert {"q1": group.q1, "median": group.median, "q3": group.q3} == {
        key: Decimal(value) for key, value in quartiles_table.items()
    }
