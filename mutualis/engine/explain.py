"""Plain-French explanation of each charge line, built only for the lines written out.

Example: ``125 élèves × 12,40 € = 1 550,00 € ; exonération commune < 500 hab. : non``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

import numpy as np

from mutualis.engine.model import KIND_LABELS, ChargeRule
from mutualis.engine.money import (
    COEF_SCALE,
    format_coef,
    format_eur,
    format_price,
    format_qty,
    format_scaled,
)
from mutualis.engine.rules import tier_units, volume_band
from mutualis.engine.tariff import (
    Component,
    FlatFee,
    Grid,
    Quota,
    Tariff,
    TierMode,
    Tiers,
    UnitPrice,
    measure_scale,
)

if TYPE_CHECKING:
    from mutualis.engine.allocate import AllocationResult

MEASURE_LABELS = {"population": "habitants", "establishments": "établissements"}
REBILL_LABELS = {
    "usage": "selon sa consommation",
    "population": "au prorata de la population",
    "equal": "à parts égales",
}


def explain(result: AllocationResult) -> list[str]:
    tariff = result.tariff
    rows = result.lines.to_dicts()
    out = []
    for i, row in enumerate(rows):
        if row["rule"] == ChargeRule.CONTRIBUTION:
            out.append(f"contribution fixe « {row['detail']} » = {format_eur(row['amount_cents'])}")
        elif row["rule"] == ChargeRule.REBILLING:
            out.append(_rebill(row))
        elif row["rule"] == ChargeRule.SHARING:
            assert result.keys is not None
            out.append(_share(tariff, result, row, int(result.keys[i])))
        else:
            out.append(_priced(tariff, row))
    return out


def _qty(tariff: Tariff, milli: int) -> str:
    return f"{format_qty(milli)} {tariff.unit}"


def _component(tariff: Tariff, comp: Component, row: dict[str, Any], cents: int) -> str:
    qty = int(row["quantity"])
    kind = row["kind"]
    total = format_eur(cents)
    if isinstance(comp, UnitPrice):
        return f"{_qty(tariff, qty)} × {format_price(comp.by_kind.get(kind, comp.price))} = {total}"
    if isinstance(comp, FlatFee):
        which = f" {KIND_LABELS[kind]}" if kind in comp.by_kind else ""
        return f"forfait{which} = {total}"
    if isinstance(comp, Tiers):
        if comp.mode is TierMode.GRADUATED:
            arr = np.asarray([qty], dtype=np.int64)
            parts = [
                f"{format_qty(int(units[0]))} × {format_price(price)}"
                for units, price in tier_units(comp, arr)
                if units[0] > 0
            ]
            detail = " + ".join(parts) if parts else "0"
            return f"{_qty(tariff, qty)} par tranches : {detail} = {total}"
        reach = _volume_reach(comp, qty)
        band = comp.bands[reach]
        if comp.lower_bounds:
            start = comp.start if reach == 0 else comp.bands[reach - 1].upto
            which = f"tranche dès {format_qty(start or 0)}"
        elif band.upto is not None:
            which = f"tranche jusqu'à {format_qty(band.upto)}"
        else:
            which = "dernière tranche"
        return f"{_qty(tariff, qty)} × {format_price(band.price)} ({which}) = {total}"
    if isinstance(comp, Grid):
        parts = []
        positions = []
        for name, bounds in zip(comp.measures, comp.bounds, strict=True):
            value = qty if name == "quantity" else int(row[f"measure_{name}"] or 0)
            if comp.upto:
                pos = min(sum(1 for b in bounds if b < value), len(bounds) - 1)
            else:
                pos = max(sum(1 for b in bounds if b <= value) - 1, 0)
            positions.append(pos)
            scale = measure_scale(name)
            label = tariff.unit if name == "quantity" else MEASURE_LABELS.get(name, name)
            how = "jusqu'à" if comp.upto else "dès"
            parts.append(
                f"{format_scaled(value, scale)} {label} → tranche {pos + 1} "
                f"({how} {format_scaled(bounds[pos], scale)})"
            )
        grid = ", ".join(parts)
        if comp.table is not None:
            return f"grille : {grid} = {total}"
        assert comp.base_cents is not None
        coef = comp.coefficients[sum(positions)]
        return f"grille : {grid} : {format_eur(comp.base_cents)} × {format_coef(coef)} = {total}"
    assert isinstance(comp, Quota)
    included = comp.included_by_kind.get(kind, comp.included)
    over = max(qty - included, 0)
    fee = f"forfait {format_eur(comp.fee_cents)} + " if comp.fee_cents else ""
    return (
        f"{_qty(tariff, qty)} dont {format_qty(included)} inclus : {fee}"
        f"{format_qty(over)} × {format_price(comp.price)} = {total}"
    )


def _volume_reach(tiers: Tiers, qty: int) -> int:
    arr = np.asarray([qty], dtype=np.int64)
    return int(volume_band(tiers, arr)[0])


def _modifiers(tariff: Tariff, row: dict[str, Any], parts: list[str]) -> None:
    coef = int(row["coefficient"])
    if tariff.solidarity is not None:
        measure = tariff.solidarity.measure
        parts.append(f"péréquation ({MEASURE_LABELS.get(measure, measure)}) × {format_coef(coef)}")
    days, diy = int(row["days"]), int(row["days_in_year"])
    if tariff.prorata and days != diy:
        parts.append(f"prorata {days}/{diy} jours")


def _tail(tariff: Tariff, row: dict[str, Any], parts: list[str]) -> None:
    limit = row["limit"]
    if limit == "plancher" and tariff.limits.floor_cents is not None:
        parts.append(f"plancher {format_eur(tariff.limits.floor_cents)} appliqué")
    elif limit == "plafond":
        parts.append("plafond appliqué")
    if tariff.exemptions:
        labels = " / ".join(e.label for e in tariff.exemptions)
        if row["exemption"]:
            parts.append(f"exonération {row['exemption']} : oui")
        else:
            parts.append(f"exonération {labels} : non")


def _priced(tariff: Tariff, row: dict[str, Any]) -> str:
    parts = [
        _component(tariff, comp, row, int(row[f"component_{i + 1}_cents"]))
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
    parts = [_qty(tariff, int(row["quantity"]))]
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
