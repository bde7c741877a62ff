"""Tariff rules (typed dataclasses) and their TOML reader.

The format is documented for accountants in ``docs/tariffs.md``. Decimal numbers are read as
:class:`decimal.Decimal` (``tomllib`` with ``parse_float=Decimal``), never as floats, then turned
into scaled integers (see :mod:`mutualis.engine.money`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import Any

from mutualis.engine.model import KIND_LABELS, MemberKind
from mutualis.engine.money import (
    COEF_SCALE,
    PRICE_SCALE,
    QTY_SCALE,
    PrecisionError,
    to_scaled,
)


class TariffError(ValueError):
    """A tariff file is invalid; the message names the file and the key path."""


class UsageMode(StrEnum):
    STOCK = "stock"
    FLOW = "flow"


class YearReading(StrEnum):
    LAST = "last"
    MEAN = "mean"
    MAX = "max"
    SUM = "sum"


class Rounding(StrEnum):
    CENT = "cent"
    EURO = "euro"


class TierMode(StrEnum):
    GRADUATED = "graduated"
    VOLUME = "volume"


@dataclass(frozen=True, slots=True)
class Subsidy:
    label: str
    share: int | None = None
    """Part of the cost (×10 000): 4000 = 40 %."""
    amount_cents: int | None = None
    member_id: str | None = None
    """The member paying a fixed contribution (it gets a line of its own)."""


@dataclass(frozen=True, slots=True)
class CostSharing:
    cost_cents: int
    subsidies: tuple[Subsidy, ...] = ()
    weights_by_kind: Mapping[str, int] = field(default_factory=dict)
    """Weight (×10 000) of a unit by member kind; a missing kind weighs 1."""


@dataclass(frozen=True, slots=True)
class UnitPrice:
    price: int
    """Price of one unit in PRICE_SCALE units (1 € = 1 000 000)."""
    by_kind: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FlatFee:
    amount_cents: int
    by_kind: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Tier:
    upto: int | None
    """Upper bound of the band in milli-units; None for the last band."""
    price: int


@dataclass(frozen=True, slots=True)
class Tiers:
    mode: TierMode
    bands: tuple[Tier, ...]


@dataclass(frozen=True, slots=True)
class Grid:
    measures: tuple[str, ...]
    bounds: tuple[tuple[int, ...], ...]
    """Lower bound of each band, per measure, in the measure's scale (see measure_scale)."""
    table: tuple[Any, ...] | None = None
    """Nested tuples of cents, one level per measure."""
    base_cents: int | None = None
    coefficients: tuple[int, ...] = ()
    """×10 000, indexed by the sum of the band positions."""


@dataclass(frozen=True, slots=True)
class Quota:
    included: int
    """Included quantity in milli-units."""
    price: int
    fee_cents: int = 0
    included_by_kind: Mapping[str, int] = field(default_factory=dict)


Component = UnitPrice | FlatFee | Tiers | Grid | Quota


@dataclass(frozen=True, slots=True)
class Exemption:
    label: str
    kinds: frozenset[str] = frozenset()
    population_below: int | None = None
    parent_population_below: int | None = None
    members: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class SolidarityBand:
    below: int | None
    coefficient: int


@dataclass(frozen=True, slots=True)
class Solidarity:
    measure: str
    """``population`` or the name of a member indicator."""
    bands: tuple[SolidarityBand, ...]


@dataclass(frozen=True, slots=True)
class Limits:
    floor_cents: int | None = None
    cap_cents: int | None = None
    cap_per_inhabitant: int | None = None
    """PRICE_SCALE units per inhabitant."""


@dataclass(frozen=True, slots=True)
class Tariff:
    service: str
    year: int
    label: str = ""
    unit: str = "unité"
    usage: UsageMode = UsageMode.STOCK
    reading: YearReading = YearReading.LAST
    rounding: Rounding = Rounding.CENT
    prorata: bool = True
    cost_sharing: CostSharing | None = None
    components: tuple[Component, ...] = ()
    exemptions: tuple[Exemption, ...] = ()
    solidarity: Solidarity | None = None
    limits: Limits = Limits()
    source: str = "<tarif>"


def measure_scale(measure: str) -> int:
    if measure == "quantity":
        return QTY_SCALE
    if measure in {"population", "establishments"}:
        return 1
    return COEF_SCALE


# ------------------------------------------------------------------------ reader

_KINDS = {k.value for k in MemberKind}


class _Node:
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

    def table(self, name: str) -> _Node | None:
        if name not in self.data:
            return None
        value = self.raw(name)
        if not isinstance(value, dict):
            raise self.fail(name, "table attendue")
        return _Node(value, self.key(name), self.source)

    def tables(self, name: str) -> list[_Node]:
        if name not in self.data:
            return []
        value = self.raw(name)
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(name, f"liste de tables attendue ([[{self.key(name)}]])")
        return [_Node(v, f"{self.key(name)}[{i + 1}]", self.source) for i, v in enumerate(value)]

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
            if kind not in _KINDS:
                raise node.fail(kind, f"nature de membre inconnue (attendu : {', '.join(_KINDS)})")
            out[kind] = node.convert(kind, value, scale)
            node.used.add(kind)
        return out

    def finish(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            raise self.fail(unknown[0], "clé inconnue")


def load_tariff(path: str | Path) -> Tariff:
    """Read a tariff file; every error names the file and the key."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise TariffError(f"{file} : lecture impossible ({exc.strerror})") from None
    return parse_tariff(text, source=str(file))


def parse_tariff(text: str, source: str = "<tarif>") -> Tariff:
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise TariffError(f"{source} : TOML invalide : {exc}") from None
    root = _Node(data, "", source)
    service = root.text("service")
    year = root.integer("year")
    label = root.text("label", service)
    unit = root.text("unit", "unité")
    usage, reading = UsageMode.STOCK, YearReading.LAST
    usage_node = root.table("usage")
    if usage_node is not None:
        usage = usage_node.choice("mode", UsageMode, UsageMode.STOCK)
        default = YearReading.SUM if usage is UsageMode.FLOW else YearReading.LAST
        reading = usage_node.choice("year", YearReading, default)
        usage_node.finish()
    rounding = root.choice("rounding", Rounding, Rounding.CENT)
    prorata = root.boolean("prorata_temporis", True)
    cost_sharing = None
    cs_node = root.table("cost_sharing")
    if cs_node is not None:
        cost_sharing = _cost_sharing(cs_node)
    components = tuple(_component(node) for node in root.tables("components"))
    if cost_sharing is None and not components:
        raise TariffError(
            f"{source} : il faut une table [cost_sharing] ou au moins un [[components]]"
        )
    if cost_sharing is not None and components:
        raise root.fail("components", "incompatible avec [cost_sharing] (un seul mode par tarif)")
    exemptions = tuple(_exemption(node) for node in root.tables("exemptions"))
    solidarity = None
    sol_node = root.table("solidarity")
    if sol_node is not None:
        solidarity = _solidarity(sol_node)
    limits = Limits()
    lim_node = root.table("limits")
    if lim_node is not None:
        limits = Limits(
            floor_cents=lim_node.scaled("floor", 100) if lim_node.has("floor") else None,
            cap_cents=lim_node.scaled("cap", 100) if lim_node.has("cap") else None,
            cap_per_inhabitant=(
                lim_node.scaled("cap_per_inhabitant", PRICE_SCALE)
                if lim_node.has("cap_per_inhabitant")
                else None
            ),
        )
        lim_node.finish()
        if (
            limits.floor_cents is not None
            and limits.cap_cents is not None
            and limits.floor_cents > limits.cap_cents
        ):
            raise lim_node.fail("floor", "le plancher dépasse le plafond")
    root.finish()
    return Tariff(
        service=service,
        year=year,
        label=label,
        unit=unit,
        usage=usage,
        reading=reading,
        rounding=rounding,
        prorata=prorata,
        cost_sharing=cost_sharing,
        components=components,
        exemptions=exemptions,
        solidarity=solidarity,
        limits=limits,
        source=source,
    )


def _cost_sharing(node: _Node) -> CostSharing:
    cost = node.scaled("cost", 100)
    subsidies = []
    for sub in node.tables("subsidies"):
        label = sub.text("label")
        if sub.has("share") == sub.has("amount"):
            raise sub.fail("share", "il faut soit « share » (part), soit « amount » (montant)")
        if sub.has("share"):
            share = sub.scaled("share", COEF_SCALE)
            if share > COEF_SCALE:
                raise sub.fail("share", "une part ne peut dépasser 1 (100 %)")
            subsidies.append(Subsidy(label=label, share=share))
        else:
            member = sub.text("member") if sub.has("member") else None
            subsidies.append(
                Subsidy(label=label, amount_cents=sub.scaled("amount", 100), member_id=member)
            )
        sub.finish()
    weights = node.by_kind("weights", COEF_SCALE)
    node.finish()
    result = CostSharing(cost_cents=cost, subsidies=tuple(subsidies), weights_by_kind=weights)
    return result


def _component(node: _Node) -> Component:
    kind = node.text("type")
    component: Component
    if kind == "unit_price":
        component = UnitPrice(
            price=node.scaled("price", PRICE_SCALE), by_kind=node.by_kind("by_kind", PRICE_SCALE)
        )
    elif kind == "flat":
        component = FlatFee(
            amount_cents=node.scaled("amount", 100), by_kind=node.by_kind("by_kind", 100)
        )
    elif kind == "tiers":
        component = _tiers(node)
    elif kind == "grid":
        component = _grid(node)
    elif kind == "quota":
        component = Quota(
            included=node.scaled("included", QTY_SCALE),
            price=node.scaled("price", PRICE_SCALE),
            fee_cents=node.scaled("fee", 100) if node.has("fee") else 0,
            included_by_kind=node.by_kind("included_by_kind", QTY_SCALE),
        )
    else:
        raise node.fail(
            "type", f"type {kind!r} inconnu (attendu : unit_price, flat, tiers, grid, quota)"
        )
    node.finish()
    return component


def _tiers(node: _Node) -> Tiers:
    mode = node.choice("mode", TierMode, TierMode.GRADUATED)
    bands: list[Tier] = []
    band_nodes = node.tables("bands")
    if not band_nodes:
        raise node.fail("bands", "au moins une tranche ([[...bands]]) est attendue")
    previous = -1
    for i, band in enumerate(band_nodes):
        last = i == len(band_nodes) - 1
        upto = band.scaled("upto", QTY_SCALE) if band.has("upto") else None
        if upto is None and not last:
            raise band.fail("upto", "obligatoire sauf pour la dernière tranche")
        if upto is not None and upto <= previous:
            raise band.fail("upto", "les bornes doivent être croissantes")
        if upto is not None:
            previous = upto
        bands.append(Tier(upto=upto, price=band.scaled("price", PRICE_SCALE)))
        band.finish()
    return Tiers(mode=mode, bands=tuple(bands))


def _grid(node: _Node) -> Grid:
    measures = node.list_of("measures")
    if not all(isinstance(m, str) and m for m in measures):
        raise node.fail("measures", "liste de noms de mesures attendue")
    raw_bounds = node.list_of("bounds")
    if len(raw_bounds) != len(measures) or not all(isinstance(b, list) for b in raw_bounds):
        raise node.fail("bounds", f"une liste de bornes par mesure ({len(measures)}) attendue")
    bounds: list[tuple[int, ...]] = []
    for m, (measure, values) in enumerate(zip(measures, raw_bounds, strict=True)):
        scaled = tuple(
            node.convert(f"bounds[{m + 1}][{j + 1}]", v, measure_scale(measure))
            for j, v in enumerate(values)
        )
        if not scaled or list(scaled) != sorted(set(scaled)):
            raise node.fail(f"bounds[{m + 1}]", "bornes basses strictement croissantes attendues")
        bounds.append(scaled)
    shape = [len(b) for b in bounds]
    if node.has("table") == node.has("base"):
        raise node.fail("table", "il faut soit « table », soit « base » et « coefficients »")
    if node.has("table"):

        def read(value: Any, depth: int, key: str) -> Any:
            if depth == len(shape):
                return node.convert(key, value, 100)
            if not isinstance(value, list) or len(value) != shape[depth]:
                raise node.fail(key, f"{shape[depth]} valeurs attendues à ce niveau")
            return tuple(read(v, depth + 1, f"{key}[{i + 1}]") for i, v in enumerate(value))

        return Grid(tuple(measures), tuple(bounds), table=read(node.raw("table"), 0, "table"))
    base = node.scaled("base", 100)
    coefficients = tuple(
        node.convert(f"coefficients[{i + 1}]", v, COEF_SCALE)
        for i, v in enumerate(node.list_of("coefficients"))
    )
    needed = sum(n - 1 for n in shape) + 1
    if len(coefficients) < needed:
        raise node.fail("coefficients", f"{needed} coefficients attendus (un par position)")
    return Grid(tuple(measures), tuple(bounds), base_cents=base, coefficients=coefficients)


def _exemption(node: _Node) -> Exemption:
    kinds = frozenset(node.raw("kinds")) if node.has("kinds") else frozenset()
    if not kinds <= _KINDS:
        raise node.fail("kinds", f"natures inconnues : {', '.join(sorted(kinds - _KINDS))}")
    members = frozenset(str(m) for m in node.raw("members")) if node.has("members") else frozenset()
    below = node.integer("population_below") if node.has("population_below") else None
    parent_below = (
        node.integer("parent_population_below") if node.has("parent_population_below") else None
    )
    if not (kinds or members or below is not None or parent_below is not None):
        raise node.fail("kinds", "une exonération doit avoir au moins une condition")
    parts = []
    if kinds:
        parts.append(" ou ".join(KIND_LABELS[k] for k in sorted(kinds)))
    if below is not None:
        parts.append(f"< {below} hab.")
    if parent_below is not None:
        parts.append(f"de commune < {parent_below} hab.")
    if members:
        parts.append("membre désigné")
    label = node.text("label", " ".join(parts))
    node.finish()
    return Exemption(label, kinds, below, parent_below, members)


def _solidarity(node: _Node) -> Solidarity:
    measure = node.text("measure", "population")
    scale = measure_scale(measure)
    bands = []
    band_nodes = node.tables("bands")
    if not band_nodes:
        raise node.fail("bands", "au moins une tranche est attendue")
    previous: int | None = None
    for i, band in enumerate(band_nodes):
        below = band.scaled("below", scale, positive=False) if band.has("below") else None
        if below is None and i != len(band_nodes) - 1:
            raise band.fail("below", "obligatoire sauf pour la dernière tranche")
        if below is not None and previous is not None and below <= previous:
            raise band.fail("below", "les bornes doivent être croissantes")
        previous = below
        bands.append(SolidarityBand(below, band.scaled("coefficient", COEF_SCALE)))
        band.finish()
    if bands[-1].below is not None:
        bands.append(SolidarityBand(None, COEF_SCALE))
    node.finish()
    return Solidarity(measure, tuple(bands))
