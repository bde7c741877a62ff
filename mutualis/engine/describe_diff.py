"""Two tariff versions told in French, side by side, section by section, with what changed
marked (a paragraph or a table row absent from the other version)."""

from __future__ import annotations

from dataclasses import dataclass

from mutualis.engine.describe import Section, TariffText


@dataclass(frozen=True, slots=True)
class Marked:
    text: str
    changed: bool


@dataclass(frozen=True, slots=True)
class MarkedRow:
    cells: tuple[str, ...]
    changed: bool


@dataclass(frozen=True, slots=True)
class SideSection:
    title: str
    paragraphs: tuple[Marked, ...]
    headers: tuple[str, ...]
    rows: tuple[MarkedRow, ...]


@dataclass(frozen=True, slots=True)
class SectionPair:
    key: str
    left: SideSection | None
    right: SideSection | None

    @property
    def changed(self) -> bool:
        if self.left is None or self.right is None:
            return True
        sides = (self.left, self.right)
        return any(p.changed for s in sides for p in s.paragraphs) or any(
            r.changed for s in sides for r in s.rows
        )


def _side(section: Section, other: Section | None) -> SideSection:
    other_paragraphs = set(other.paragraphs) if other is not None else set()
    other_rows = set(other.table.rows) if other is not None and other.table else set()
    table = section.table
    return SideSection(
        section.title,
        tuple(Marked(p, p not in other_paragraphs) for p in section.paragraphs),
        table.headers if table else (),
        tuple(MarkedRow(r, r not in other_rows) for r in table.rows) if table else (),
    )


def compare(left: TariffText, right: TariffText) -> list[SectionPair]:
    """Both versions section by section (in the order of the left one, then sections only
    in the right one); a paragraph or a table row absent from the other side is marked."""
    lefts = {s.key: s for s in left.sections}
    rights = {s.key: s for s in right.sections}
    keys = [s.key for s in left.sections] + [k for k in rights if k not in lefts]
    pairs = []
    for key in keys:
        a, b = lefts.get(key), rights.get(key)
        pairs.append(
            SectionPair(
                key,
                _side(a, b) if a is not None else None,
                _side(b, a) if b is not None else None,
            )
        )
    return pairs


__all__ = ["Marked", "MarkedRow", "SectionPair", "SideSection", "compare"]
