"""The files of ``mutualis allocate`` (formats in ``docs/files.md``).

Errors name the file, the line (1 = header) and the field. Comma or semicolon separated,
UTF-8 (a BOM is accepted); decimals take a dot or a comma.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

import polars as pl

from mutualis.engine.model import (
    MEMBER_SCHEMA,
    OWN_REBILL_KEYS,
    SUBSCRIPTION_SCHEMA,
    USAGE_SCHEMA,
    InputError,
    MemberKind,
    RebillKey,
    Scope,
)
from mutualis.engine.money import COEF_SCALE, QTY_SCALE, PrecisionError, cents_text, to_scaled

MEMBER_FIELDS = ("id", "name", "kind", "population", "parent_id", "epci_id")
SUBSCRIPTION_FIELDS = (
    "member_id",
    "service",
    "scope",
    "start",
    "end",
    "establishments",
    "rebill",
    "rebill_own",
)
USAGE_FIELDS = ("member_id", "service", "period", "quantity")
CHARGE_FIELDS = (
    "service",
    "year",
    "member_id",
    "member_name",
    "kind",
    "payer_id",
    "issuer_id",
    "rule",
    "quantity",
    "amount",
    "amount_cents",
    "coefficient",
    "days",
    "days_in_year",
    "exemption",
    "limit",
    "explanation",
)
_DECIMAL = re.compile(r"^\d+([.,]\d+)?$")


def _where(path: Path, line: int, field: str) -> str:
    return f"{path}, ligne {line}, champ « {field} »"


def _delimiter(header: str) -> str:
    return ";" if header.count(";") > header.count(",") else ","


def _rows(path: Path, required: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InputError(f"{path} : lecture impossible ({exc.strerror})") from None
    with handle:
        header = handle.readline()
        handle.seek(0)
        reader = csv.DictReader(handle, delimiter=_delimiter(header))
        fields = [f.strip() for f in reader.fieldnames or []]
        reader.fieldnames = fields
        missing = [f for f in required if f not in fields]
        if missing:
            raise InputError(f"{path}, ligne 1 : colonne « {missing[0]} » manquante")
        for row in reader:
            if None in row:
                raise InputError(f"{path}, ligne {reader.line_num} : trop de valeurs")
            yield reader.line_num, {k: (v or "").strip() for k, v in row.items()}


def _integer(path: Path, line: int, field: str, text: str) -> int:
    if not text:
        return 0
    if not text.isdigit():
        raise InputError(f"{_where(path, line, field)} : entier positif attendu, pas {text!r}")
    return int(text)


def _decimal(path: Path, line: int, field: str, text: str, scale: int) -> int:
    if not _DECIMAL.match(text):
        raise InputError(f"{_where(path, line, field)} : nombre attendu, pas {text!r}")
    try:
        return to_scaled(text.replace(",", "."), scale)
    except PrecisionError as exc:
        raise InputError(f"{_where(path, line, field)} : {exc}") from None


def _date(path: Path, line: int, field: str, text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"{_where(path, line, field)} : date AAAA-MM-JJ attendue, pas {text!r}"
        ) from None


def _choice(path: Path, line: int, field: str, text: str, allowed: Sequence[str]) -> str:
    if text not in allowed:
        raise InputError(
            f"{_where(path, line, field)} : {text!r} inconnu (attendu : {', '.join(allowed)})"
        )
    return text


def read_members(path: str | Path) -> pl.DataFrame:
    file = Path(path)
    kinds = [k.value for k in MemberKind]
    data: dict[str, list[object]] = {f: [] for f in MEMBER_FIELDS}
    indicators: dict[str, list[object]] = {}
    for line, row in _rows(file, ("id", "name", "kind")):
        if not row["id"]:
            raise InputError(f"{_where(file, line, 'id')} : valeur obligatoire")
        data["id"].append(row["id"])
        data["name"].append(row["name"])
        data["kind"].append(_choice(file, line, "kind", row["kind"], kinds))
        data["population"].append(_integer(file, line, "population", row.get("population", "")))
        data["parent_id"].append(row.get("parent_id") or None)
        data["epci_id"].append(row.get("epci_id") or None)
        for field, text in row.items():
            if field in MEMBER_FIELDS:
                continue
            values = indicators.setdefault(field, [None] * (len(data["id"]) - 1))
            values.append(_decimal(file, line, field, text, COEF_SCALE) if text else None)
    schema = dict(MEMBER_SCHEMA)
    for field, values in indicators.items():
        data[f"ind:{field}"] = values
        schema[f"ind:{field}"] = pl.Int64()
    return pl.DataFrame(data, schema=schema)


def read_subscriptions(path: str | Path) -> pl.DataFrame:
    file = Path(path)
    scopes = [s.value for s in Scope]
    keys = [k.value for k in RebillKey]
    data: dict[str, list[object]] = {f: [] for f in SUBSCRIPTION_FIELDS}
    for line, row in _rows(file, ("member_id", "service")):
        for field in ("member_id", "service"):
            if not row[field]:
                raise InputError(f"{_where(file, line, field)} : valeur obligatoire")
        data["member_id"].append(row["member_id"])
        data["service"].append(row["service"])
        data["scope"].append(_choice(file, line, "scope", row.get("scope") or "self", scopes))
        start = _date(file, line, "start", row.get("start", ""))
        end = _date(file, line, "end", row.get("end", ""))
        if start and end and end < start:
            raise InputError(f"{_where(file, line, 'end')} : fin avant le début")
        data["start"].append(start)
        data["end"].append(end)
        chosen = [e for e in re.split(r"[|\s]+", row.get("establishments", "")) if e]
        data["establishments"].append(chosen)
        rebill = row.get("rebill", "")
        data["rebill"].append(_choice(file, line, "rebill", rebill, keys) if rebill else None)
        own = row.get("rebill_own", "")
        data["rebill_own"].append(
            _choice(file, line, "rebill_own", own, [k.value for k in OWN_REBILL_KEYS])
            if own
            else None
        )
    return pl.DataFrame(data, schema=SUBSCRIPTION_SCHEMA)


def read_usage(path: str | Path) -> pl.DataFrame:
    """Usage records, read columnar (millions of lines); period is ``AAAA-MM``."""
    file = Path(path)
    try:
        with file.open(encoding="utf-8-sig") as handle:
            header = handle.readline()
        raw = pl.read_csv(
            file,
            separator=_delimiter(header),
            infer_schema=False,
            encoding="utf8-lossy",
        )
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise InputError(f"{file} : lecture impossible ({exc})") from None
    raw = raw.rename({c: c.strip().lstrip("\ufeff") for c in raw.columns})
    for field in USAGE_FIELDS:
        if field not in raw.columns:
            raise InputError(f"{file}, ligne 1 : colonne « {field} » manquante")
    frame = raw.select(
        pl.col(f).str.strip_chars().fill_null("") for f in USAGE_FIELDS
    ).with_row_index("line", offset=2)
    checks = {
        "member_id": pl.col("member_id") != "",
        "service": pl.col("service") != "",
        "period": pl.col("period").str.contains(r"^\d{4}-(0[1-9]|1[0-2])$"),
        "quantity": pl.col("quantity").str.contains(r"^\d+([.,]\d{1,3})?$"),
    }
    bad = frame.filter(~pl.all_horizontal(*checks.values()))
    if bad.height:
        row = bad.row(0, named=True)
        for field, check in checks.items():
            if not bad.head(1).select(check).item():
                expected = {
                    "period": "période AAAA-MM attendue",
                    "quantity": "quantité positive attendue (au plus 3 décimales)",
                }.get(field, "valeur obligatoire")
                raise InputError(
                    f"{_where(file, row['line'], field)} : {expected}, pas {row[field]!r}"
                )
    parts = pl.col("quantity").str.replace(",", ".", literal=True).str.split_exact(".", 1)
    whole = parts.struct.field("field_0").cast(pl.Int64)
    frac = parts.struct.field("field_1").fill_null("").str.pad_end(3, "0").cast(pl.Int64)
    return frame.select(
        "member_id",
        "service",
        pl.col("period").str.slice(0, 4).cast(pl.Int32).alias("year"),
        pl.col("period").str.slice(5, 2).cast(pl.Int8).alias("month"),
        (whole * QTY_SCALE + frac).alias("quantity"),
    ).cast(USAGE_SCHEMA)  # type: ignore[arg-type]


def charges_frame(lines: pl.DataFrame) -> pl.DataFrame:
    """The columns of charges.csv, amounts in euros with a dot."""
    out = lines
    for column, dtype in (
        ("quantity", pl.Int64),
        ("coefficient", pl.Int64),
        ("days", pl.Int64),
        ("days_in_year", pl.Int64),
        ("exemption", pl.String),
        ("limit", pl.String),
        ("explanation", pl.String),
    ):
        if column not in out.columns:
            out = out.with_columns(pl.lit(None, dtype=dtype).alias(column))
    return out.select(
        "service",
        "year",
        "member_id",
        "member_name",
        "kind",
        "payer_id",
        "issuer_id",
        "rule",
        pl.col("quantity").map_elements(
            lambda v: _plain(v, QTY_SCALE), return_dtype=pl.String, skip_nulls=True
        ),
        pl.col("amount_cents").map_elements(cents_text, return_dtype=pl.String).alias("amount"),
        "amount_cents",
        pl.col("coefficient").map_elements(
            lambda v: _plain(v, COEF_SCALE), return_dtype=pl.String, skip_nulls=True
        ),
        "days",
        "days_in_year",
        pl.col("exemption").fill_null(""),
        pl.col("limit").fill_null(""),
        pl.col("explanation").fill_null(""),
    )


def _plain(value: int, scale: int) -> str:
    whole, frac = divmod(value, scale)
    digits = len(str(scale)) - 1
    text = str(frac).rjust(digits, "0").rstrip("0")
    return f"{whole}.{text}" if text else str(whole)


def write_charges(path: str | Path, frames: Sequence[pl.DataFrame]) -> None:
    table = pl.concat([charges_frame(f) for f in frames]) if frames else pl.DataFrame()
    file = Path(path)
    try:
        table.write_csv(file)
    except OSError as exc:
        raise InputError(f"{file} : écriture impossible ({exc.strerror})") from None
