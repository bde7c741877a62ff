"""The TOML reader of tariffs: checks every key and turns numbers into scaled integers.

The format is documented for accountants in ``docs/tariffs.md``. Decimal numbers are read as
:class:`decimal.Decimal` (``tomllib`` with ``parse_float=Decimal``), never as floats, then turned
into scaled integers (see :mod:`mutualis.engine.money`). Every error names the file and the key.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

from mutualis.engine.money import COEF_SCALE, PRICE_SCALE
from mutualis.engine.rules import COMPONENTS, Component, Exemption, Solidarity
from mutualis.engine.tariff import (
    CostSharing,
    Limits,
    Rounding,
    Subsidy,
    Tariff,
    TariffError,
    UsageMode,
    YearReading,
)
from mutualis.engine.toml_errors import french_toml_error
from mutualis.engine.toml_node import Node


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
        raise TariffError(f"{source} : TOML invalide, {french_toml_error(str(exc))}") from None
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
    exemptions = tuple(Exemption.parse(node) for node in root.tables("exemptions"))
    solidarity = None
    sol_node = root.table("solidarity")
    if sol_node is not None:
        solidarity = Solidarity.parse(sol_node)
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
    return all("quantity" not in c.measures_read() for c in components)


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
    rule = COMPONENTS.get(kind)
    if rule is None:
        raise node.fail("type", f"type {kind!r} inconnu (attendu : {', '.join(COMPONENTS)})")
    component = rule.parse(node)
    node.finish()
    return component
