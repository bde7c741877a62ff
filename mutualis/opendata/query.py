"""The subset of the OGC SensorThings API v1.1 query options that Mutualis answers.

``$top`` (at most MAX_TOP), ``$skip``, ``$count=true``, ``$orderby=field [asc|desc]`` (comma
separated) and ``$filter`` made of comparisons ``field op literal`` (``eq ne gt ge lt le``)
joined by ``and``; a literal is a number, a 'quoted string' or an ISO 8601 time. Anything
else is refused with a message (HTTP 400), never guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

DEFAULT_TOP = 100
MAX_TOP = 1000
OPERATORS = {"eq": "", "ne": "", "gt": "__gt", "ge": "__gte", "lt": "__lt", "le": "__lte"}
COMPARISON = re.compile(
    r"\s*(?P<field>[A-Za-z@/.]+)\s+(?P<op>eq|ne|gt|ge|lt|le)\s+"
    r"(?P<value>'(?:[^']|'')*'|[0-9T:.+\-Z]+)\s*",
)


class QueryError(ValueError):
    pass


@dataclass(frozen=True)
class Query:
    top: int = DEFAULT_TOP
    skip: int = 0
    count: bool = False
    orderby: list[tuple[str, bool]] = field(default_factory=list)  # (field, descending)
    filters: list[tuple[str, str, object]] = field(default_factory=list)  # (field, op, value)


def _integer(raw: str, name: str, upper: int) -> int:
    if not raw.isdigit() or int(raw) > upper:
        raise QueryError(f"{name} : un entier de 0 à {upper}")
    return int(raw)


def _literal(raw: str) -> object:
    if raw.startswith("'"):
        return raw[1:-1].replace("''", "'")
    if re.fullmatch(r"-?\d+", raw):
        return int(raw)
    if re.fullmatch(r"-?\d+\.\d*", raw):
        return float(raw)
    try:
        when = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError as exc:
        raise QueryError(f"$filter : valeur illisible « {raw} »") from exc
    if when.tzinfo is None:
        raise QueryError("$filter : une heure s'écrit avec son fuseau (Z ou +01:00)")
    return when


def parse(params: dict[str, str], *, orderable: set[str], filterable: set[str]) -> Query:
    top = _integer(params.get("$top", str(DEFAULT_TOP)), "$top", MAX_TOP)
    skip = _integer(params.get("$skip", "0"), "$skip", 10**9)
    count = params.get("$count", "false").lower()
    if count not in ("true", "false"):
        raise QueryError("$count : true ou false")
    orderby = []
    for part in filter(None, (p.strip() for p in params.get("$orderby", "").split(","))):
        words = part.split()
        if words[0] not in orderable or len(words) > 2 or words[1:] not in ([], ["asc"], ["desc"]):
            raise QueryError(f"$orderby : « {part} » (champs : {', '.join(sorted(orderable))})")
        orderby.append((words[0], words[1:] == ["desc"]))
    filters = []
    text = params.get("$filter", "").strip()
    if text:
        for clause in re.split(r"\s+and\s+", text):
            match = COMPARISON.fullmatch(clause)
            if match is None or match["field"] not in filterable:
                raise QueryError(
                    f"$filter : « {clause} » (comparaisons eq, ne, gt, ge, lt, le jointes par "
                    f"and ; champs : {', '.join(sorted(filterable))})"
                )
            filters.append((match["field"], match["op"], _literal(match["value"])))
    return Query(top, skip, count == "true", orderby, filters)
