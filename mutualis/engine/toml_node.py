"""A TOML table being read: typed accessors that name the file and the key path on error."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from mutualis.engine.model import MemberKind, TariffError
from mutualis.engine.money import PrecisionError, to_scaled

KINDS = {k.value for k in MemberKind}
KINDS_TEXT = ", ".join(k.value for k in MemberKind)


class Node:
    """A TOML table being read: remembers its path and reports unknown keys."""

    def __init__(self, data: Mapping[str, Any], path: str, source: str) -> None:
        self.data = data
        self.path = path
        self.source = source
        self.used: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def fail(self, name: str, message: str) -> TariffError:
        return TariffError(f"{self.source} : clé « {self.key(name)} » : {message}")

    def missing(self, name: str) -> TariffError:
        unknown = sorted(set(self.data) - self.used - {name})
        hint = "".join(f" (clé inconnue « {self.key(k)} » ?)" for k in unknown[:1])
        return self.fail(name, "obligatoire" + hint)

    def has(self, name: str) -> bool:
        return name in self.data

    def raw(self, name: str) -> Any:
        self.used.add(name)
        return self.data[name]

    def text(self, name: str, default: str | None = None) -> str:
        if name not in self.data:
            if default is None:
                raise self.missing(name)
            return default
        value = self.raw(name)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(name, "texte non vide attendu")
        return value

    def integer(self, name: str, default: int | None = None) -> int:
        if name not in self.data:
            if default is None:
                raise self.missing(name)
            return default
        value = self.raw(name)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(name, f"nombre entier attendu, pas {value!r}")
        return value

    def boolean(self, name: str, default: bool) -> bool:
        if name not in self.data:
            return default
        value = self.raw(name)
        if not isinstance(value, bool):
            raise self.fail(name, "true ou false attendu")
        return value

    def scaled(self, name: str, scale: int, *, positive: bool = True) -> int:
        if name not in self.data:
            raise self.missing(name)
        return self.convert(name, self.raw(name), scale, positive=positive)

    def convert(self, name: str, value: Any, scale: int, *, positive: bool = True) -> int:
        if isinstance(value, bool):
            raise self.fail(name, f"nombre attendu, pas {value!r}")
        if isinstance(value, str):
            try:
                value = Decimal(value.replace(" ", "").replace("\u202f", "").replace(",", "."))
            except InvalidOperation:
                raise self.fail(name, f"nombre attendu, pas {value!r}") from None
        if not isinstance(value, int | Decimal):
            raise self.fail(name, f"nombre attendu, pas {value!r}")
        try:
            result = to_scaled(value, scale)
        except PrecisionError as exc:
            raise self.fail(name, str(exc)) from None
        if positive and result < 0:
            raise self.fail(name, "doit être positif ou nul")
        return result

    def choice(self, name: str, enum: type[StrEnum], default: StrEnum) -> Any:
        if name not in self.data:
            return default
        value = self.raw(name)
        allowed = [e.value for e in enum]
        if value not in allowed:
            raise self.fail(name, f"valeur {value!r} inconnue (attendu : {', '.join(allowed)})")
        return enum(value)

    def table(self, name: str) -> Node | None:
        if name not in self.data:
            return None
        value = self.raw(name)
        if not isinstance(value, dict):
            raise self.fail(name, "table attendue")
        return Node(value, self.key(name), self.source)

    def tables(self, name: str) -> list[Node]:
        if name not in self.data:
            return []
        value = self.raw(name)
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(name, f"liste de tables attendue ([[{self.key(name)}]])")
        return [Node(v, f"{self.key(name)}[{i + 1}]", self.source) for i, v in enumerate(value)]

    def list_of(self, name: str) -> list[Any]:
        if name not in self.data:
            raise self.missing(name)
        value = self.raw(name)
        if not isinstance(value, list) or not value:
            raise self.fail(name, "liste non vide attendue")
        return value

    def by_kind(self, name: str, scale: int) -> dict[str, int]:
        node = self.table(name)
        if node is None:
            return {}
        out = {}
        for kind, value in node.data.items():
            if kind not in KINDS:
                raise node.fail(kind, f"nature de membre inconnue (attendu : {KINDS_TEXT})")
            out[kind] = node.convert(kind, value, scale)
            node.used.add(kind)
        return out

    def finish(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            raise self.fail(unknown[0], "clé inconnue")
