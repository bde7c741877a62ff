"""The TOML reader of tariffs: checks every key and turns numbers into scaled integers.

The format is documented for accountants in ``docs/tariffs.md``. Decimal numbers are read as
:class:`decimal.Decimal` (``tomllib`` with ``parse_float=Decimal``), never as floats, then turned
into scaled integers (see :mod:`mutualis.engine.money`). Every error names the file and the key.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

from mutualis.engine.model import KIND_LABELS
from mutualis.engine.money import COEF_SCALE, PRICE_SCALE, QTY_SCALE
from mutualis.engine.tariff import (
    Component,
    CostSharing,
    Exemption,
    FlatFee,
    Grid,
    Limits,
    Quota,
    Rounding,
    Solidarity,
    SolidarityBand,
    Subsidy,
    Tariff,
    TariffError,
    Tier,
    TierMode,
    Tiers,
    UnitPrice,
    UsageMode,
    YearReading,
    measure_scale,
)
from mutualis.engine.toml_node import KINDS, Node


def load_tariff(path: str | Path, *, service_usage: UsageMode | None = None) -> Tariff:
    """Read a tariff file; every error names the file and the key."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise TariffError(f"{file} : lecture impossible ({exc.strerror})") from None
    return parse_tariff(text, source=str(file), service_usage=service_usage)


def parse_tariff(
    text: str, source: str = "<tarif>", *, service_usage: UsageMode | None = None
) -> Tariff:
    """The tariff of ``text``. ``service_usage`` is the usage mode of the service in the
    catalogue: the default of ``[usage] mode`` (stock otherwise), and so of the year reading and
    of ``prorata_temporis`` (see :func:`default_prorata`)."""
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise TariffError(f"{source} : TOML invalide : {exc}") from None
    root = Node(data, "", source)
    service = root.text("service")
    year = root.integer("year")
    label = root.text("label", service)
    unit = root.text("unit", "unité")
    usage = service_usage or UsageMode.STOCK
    usage_node = root.table("usage")
    if usage_node is not None:
        usage = usage_node.choice("mode", UsageMode, usage)
    default = YearReading.SUM if usage is UsageMode.FLOW else YearReading.LAST
    reading = default
    if usage_node is not None:
        reading = usage_node.choice("year", YearReading, default)
        usage_node.finish()
    rounding = root.choice("rounding", Rounding, Rounding.CENT)
    explicit_prorata = (
        root.boolean("prorata_temporis", True) if root.has("prorata_temporis") else None
    )
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
    prorata = (
        explicit_prorata
        if explicit_prorata is not None
        else default_prorata(usage, components, cost_sharing is not None)
    )
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


def default_prorata(usage: UsageMode, components: tuple[Component, ...], sharing: bool) -> bool:
    """Pro rata temporis unless the tariff prices a flow: a stock (Go, pupils) is held for the
    days of the subscription, a flat fee is paid for them; a flow (days worked, certificates
    issued) only counts what happened while subscribed, so cutting it again by days/365 would
    count the partial year twice. A tariff made of flat fees only (``flat``, a grid that does not
    read the quantity) is pro-rated even for a flow service."""
    if usage is UsageMode.STOCK:
        return True
    if sharing or not components:
        return False
    return all(
        isinstance(c, FlatFee) or (isinstance(c, Grid) and "quantity" not in c.measures)
        for c in components
    )


def _cost_sharing(node: Node) -> CostSharing:
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


def _component(node: Node) -> Component:
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


def _tiers(node: Node) -> Tiers:
    mode = node.choice("mode", TierMode, TierMode.GRADUATED)
    band_nodes = node.tables("bands")
    if not band_nodes:
        raise node.fail("bands", "au moins une tranche ([[...bands]]) est attendue")
    if any(band.has("from") for band in band_nodes):
        return _tiers_from(mode, band_nodes)
    bands: list[Tier] = []
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


def _tiers_from(mode: TierMode, band_nodes: list[Node]) -> Tiers:
    """Bands written « à partir de »: every band has ``from``, the last one is open."""
    starts: list[int] = []
    prices: list[int] = []
    for band in band_nodes:
        if band.has("upto"):
            raise band.fail("upto", "une tranche s'écrit avec « from » ou « upto », pas les deux")
        start = band.scaled("from", QTY_SCALE)
        if starts and start <= starts[-1]:
            raise band.fail("from", "les bornes doivent être croissantes")
        starts.append(start)
        prices.append(band.scaled("price", PRICE_SCALE))
        band.finish()
    ends: list[int | None] = [*starts[1:], None]
    bands = tuple(Tier(upto=end, price=price) for end, price in zip(ends, prices, strict=True))
    return Tiers(mode=mode, bands=bands, lower_bounds=True, start=starts[0])


def _grid(node: Node) -> Grid:
    measures = node.list_of("measures")
    if not all(isinstance(m, str) and m for m in measures):
        raise node.fail("measures", "liste de noms de mesures attendue")
    if node.has("bounds") == node.has("upto"):
        raise node.fail(
            "bounds", "il faut soit « bounds » (bornes basses), soit « upto » (bornes hautes)"
        )
    upto = node.has("upto")
    key = "upto" if upto else "bounds"
    raw_bounds = node.list_of(key)
    if len(raw_bounds) != len(measures) or not all(isinstance(b, list) for b in raw_bounds):
        raise node.fail(key, f"une liste de bornes par mesure ({len(measures)}) attendue")
    bounds: list[tuple[int, ...]] = []
    which = "hautes" if upto else "basses"
    for m, (measure, values) in enumerate(zip(measures, raw_bounds, strict=True)):
        scaled = tuple(
            node.convert(f"{key}[{m + 1}][{j + 1}]", v, measure_scale(measure))
            for j, v in enumerate(values)
        )
        if not scaled or list(scaled) != sorted(set(scaled)):
            raise node.fail(f"{key}[{m + 1}]", f"bornes {which} strictement croissantes attendues")
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

        table = read(node.raw("table"), 0, "table")
        return Grid(tuple(measures), tuple(bounds), table=table, upto=upto)
    base = node.scaled("base", 100)
    coefficients = tuple(
        node.convert(f"coefficients[{i + 1}]", v, COEF_SCALE)
        for i, v in enumerate(node.list_of("coefficients"))
    )
    needed = sum(n - 1 for n in shape) + 1
    if len(coefficients) < needed:
        raise node.fail("coefficients", f"{needed} coefficients attendus (un par position)")
    return Grid(
        tuple(measures), tuple(bounds), base_cents=base, coefficients=coefficients, upto=upto
    )


def _exemption(node: Node) -> Exemption:
    kinds = frozenset(node.raw("kinds")) if node.has("kinds") else frozenset()
    if not kinds <= KINDS:
        raise node.fail("kinds", f"natures inconnues : {', '.join(sorted(kinds - KINDS))}")
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


def _solidarity(node: Node) -> Solidarity:
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
