"""Plain-French explanation of each charge line, built only for the lines written out.

Example: ``125 élèves × 12,40 € = 1 550,00 € ; exonération commune < 500 hab. : non``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import polars as pl

from mutualis.engine.model import KIND_LABELS, ChargeRule
from mutualis.engine.money import COEF_SCALE, format_coef, format_eur, format_scaled
from mutualis.engine.rules import explain_exemption
from mutualis.engine.rules.base import quantity_text
from mutualis.engine.tariff import Tariff

if TYPE_CHECKING:
    from mutualis.engine.allocate import AllocationResult

REBILL_LABELS = {
    "usage": "selon sa consommation",
    "population": "au prorata de la population",
    "equal": "à parts égales",
}


# Who a line is for never enters its explanation: lines alike in everything else share one
# text, written once (the rows handed to the explainers do not hold these columns at all).
NOT_EXPLAINED = ("service", "year", "member_id", "member_name", "payer_id", "population")
_KEY = "__key"


def explain(result: AllocationResult) -> list[str]:
    """One text per line, in order; each distinct explained row is explained once."""
    codes, texts = explain_codes(result)
    return [texts[code] for code in codes.tolist()]


def explain_codes(result: AllocationResult) -> tuple[npt.NDArray[np.int64], list[str]]:
    """The explanations in columns: the distinct texts, each written once, and for each line
    the position of its text among them."""
    frame = result.lines
    if result.keys is not None:  # cost sharing: the key of each consumer line (the first ones)
        keys = ["0"] * frame.height
        keys[: len(result.keys)] = [str(int(key)) for key in result.keys]
        frame = frame.with_columns(pl.Series(_KEY, keys, dtype=pl.String))
    unread: tuple[str, ...] = NOT_EXPLAINED
    tariff = result.tariff
    if tariff.cost_sharing is None and not any(c.reads_quantity() for c in tariff.components):
        # No component writes the quantity nor a measure (flat fees): lines of every quantity
        # share one text.
        unread = (*NOT_EXPLAINED, "quantity", *(n for n in frame.columns if n[:8] == "measure_"))
    columns = [name for name in frame.columns if name not in unread]
    if not columns or frame.height == 0:
        texts = [_explain_row(result, row) for row in frame.select(columns).to_dicts()]
        return np.arange(len(texts), dtype=np.int64), texts
    # One code per distinct row (in the order of first appearance), then one text per code.
    groups = (
        frame.select(columns)
        .with_row_index("__row")
        .group_by(columns, maintain_order=True)
        .agg(pl.col("__row"))
    )
    pairs = groups.select(pl.int_range(pl.len(), dtype=pl.Int64).alias("__code"), "__row")
    pairs = pairs.explode("__row")
    codes = np.empty(frame.height, dtype=np.int64)
    codes[pairs["__row"].to_numpy()] = pairs["__code"].to_numpy()
    rows = groups.drop("__row").to_dicts()
    return codes, [_explain_row(result, row) for row in rows]


def _explain_row(result: AllocationResult, row: dict[str, Any]) -> str:
    tariff = result.tariff
    if row["rule"] == ChargeRule.CONTRIBUTION:
        return f"contribution fixe « {row['detail']} » = {format_eur(row['amount_cents'])}"
    if row["rule"] == ChargeRule.REBILLING:
        return _rebill(row)
    if row["rule"] == ChargeRule.SHARING:
        assert result.keys is not None
        return _share(tariff, result, row, int(row[_KEY]))
    return _priced(tariff, row)


def _modifiers(tariff: Tariff, row: dict[str, Any], parts: list[str]) -> None:
    if tariff.solidarity is not None:
        parts.append(tariff.solidarity.explain(row))
    days, diy = int(row["days"]), int(row["days_in_year"])
    if tariff.prorata and days != diy:
        parts.append(f"prorata {days}/{diy} jours")


def _tail(tariff: Tariff, row: dict[str, Any], parts: list[str]) -> None:
    limit = row["limit"]
    if limit == "plancher" and tariff.limits.floor_cents is not None:
        parts.append(f"plancher {format_eur(tariff.limits.floor_cents)} appliqué")
    elif limit == "plafond":
        parts.append("plafond appliqué")
    exemption = explain_exemption(tariff.exemptions, row)
    if exemption is not None:
        parts.append(exemption)


def _priced(tariff: Tariff, row: dict[str, Any]) -> str:
    parts = [
        comp.explain(tariff.unit, row, int(row[f"component_{i + 1}_cents"]))
        for i, comp in enumerate(tariff.components)
    ]
    if len(parts) > 1:
        parts.append(f"sous-total {format_eur(int(row['base_cents']))}")
    _modifiers(tariff, row, parts)
    if tariff.rounding.value == "euro":
        parts.append("arrondi à l'euro")
    _tail(tariff, row, parts)
    parts.append(f"dû {format_eur(int(row['amount_cents']))}")
    return " ; ".join(parts)


def _share(tariff: Tariff, result: AllocationResult, row: dict[str, Any], key: int) -> str:
    cs = tariff.cost_sharing
    assert cs is not None and result.net_cost_cents is not None
    parts = [quantity_text(tariff.unit, int(row["quantity"]))]
    weight = cs.weights_by_kind.get(row["kind"], COEF_SCALE)
    if weight != COEF_SCALE:
        parts.append(f"poids {KIND_LABELS[row['kind']]} × {format_coef(weight)}")
    _modifiers(tariff, row, parts)
    if result.key_total:
        percent = (Decimal(key) * 100 / Decimal(result.key_total)).quantize(
            Decimal("0.0001"), rounding=ROUND_HALF_UP
        )
        share = format_scaled(int(percent * 10000), 10000, 2)
    else:
        share = "0"
    net = format_eur(result.net_cost_cents)
    parts.append(f"part {share} % du coût net {net}")
    if tariff.rounding.value == "euro":
        parts.append("arrondi à l'euro (plus grands restes)")
    _tail(tariff, row, parts)
    parts.append(f"dû {format_eur(int(row['amount_cents']))}")
    return " ; ".join(parts)


def _rebill(row: dict[str, Any]) -> str:
    key, total, count, *own = str(row["detail"]).split(":")
    how = REBILL_LABELS.get(key, key)
    issuer = row.get("issuer_name") or row["issuer_id"]
    what = f"participation propre de {issuer} refacturée" if own else f"refacturé par {issuer}"
    return (
        f"{what} {how} : {format_eur(int(row['amount_cents']))} "
        f"sur {format_eur(int(total))} ({count} communes)"
    )


def net_cost_text(result: AllocationResult) -> str:
    """``coût 100 000,00 € − FEDER 40 000,00 € = coût net 60 000,00 €``."""
    cs = result.tariff.cost_sharing
    if cs is None or result.net_cost_cents is None:
        return ""
    parts = [f"coût {format_eur(cs.cost_cents)}"]
    parts += [f"− {label} {format_eur(value)}" for label, value in result.subsidies]
    return " ".join(parts) + f" = coût net {format_eur(result.net_cost_cents)}"
