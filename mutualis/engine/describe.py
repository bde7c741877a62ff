"""A tariff told in plain French, from its parsed rules, for the comité syndical and the
délibération: who pays, the bands as voted (« jusqu'à » or « à partir de », as written),
quotas, exemptions, solidarity, subsidies, limits; and two versions side by side with what
changed (:mod:`mutualis.engine.describe_diff`).

Why here, in one file beside the rules rather than a ``describe`` method in each rule file:
the wording is one document whose sections must read together (and be compared section by
section); the rule files hold the computation and the per-line explanation. Every component
kind of the registry :data:`~mutualis.engine.rules.COMPONENTS` must have its text here — a
test fails the day a kind is added without one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import product
from typing import Any

from mutualis.engine.money import (
    COEF_SCALE,
    QTY_SCALE,
    format_coef,
    format_eur,
    format_price,
    format_qty,
    format_scaled,
)
from mutualis.engine.rules import (
    MEASURE_LABELS,
    Component,
    Exemption,
    FlatFee,
    Grid,
    Quota,
    Solidarity,
    Tiers,
    UnitPrice,
    measure_scale,
)
from mutualis.engine.tariff import Rounding, Tariff, UsageMode, YearReading

KIND_LABELS = {
    "region": "régions",
    "departement": "départements",
    "epci": "EPCI",
    "commune": "communes",
    "establishment": "établissements publics",
    "other": "autres membres",
}
READING = {
    YearReading.LAST: "le dernier relevé de l'année",
    YearReading.MEAN: "la moyenne des relevés de l'année",
    YearReading.MAX: "le plus haut relevé de l'année",
    YearReading.SUM: "le total de l'année",
}


@dataclass(frozen=True, slots=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    """Stable name of the section (``payer``, ``components[2]``…): versions are compared by it."""
    title: str
    paragraphs: tuple[str, ...] = ()
    table: Table | None = None


@dataclass(frozen=True, slots=True)
class TariffText:
    title: str
    sections: tuple[Section, ...]


def _kinds(kinds: Sequence[str]) -> str:
    labels = [KIND_LABELS.get(k, k) for k in kinds]
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " et " + labels[-1]


def _by_kind(values: dict[str, str]) -> str:
    return " ; ".join(f"{KIND_LABELS.get(k, k)} : {v}" for k, v in values.items())


def _measure(name: str, unit: str) -> str:
    return unit if name == "quantity" else MEASURE_LABELS.get(name, name)


def _singular(label: str) -> str:
    """« établissements » → « établissement », « postes de travail » → « poste de travail »;
    « accès », « mois » stay as they are."""
    head, _sep, tail = label.partition(" ")
    if head.endswith("s") and not head.endswith(("ès", "is", "us", "os", "as", "ss")):
        head = head[:-1]
    return f"{head} {tail}" if tail else head


def _counted(value: int, scale: int, label: str) -> str:
    """``value / scale`` followed by its label, singular under 2 (French rule): « 1
    établissement », « 0,5 poste », « 2 établissements »."""
    shown = label if abs(value) >= 2 * scale else _singular(label)
    return f"{format_scaled(value, scale)} {shown}"


def _band_label(upto: bool, bound: int, scale: int, label: str) -> str:
    counted = _counted(bound, scale, label)
    return f"jusqu'à {counted}" if upto else f"à partir de {counted}"


def describe_component(component: Component, unit: str, number: int) -> Section:
    """One ``[[components]]`` in words (and its bands as a table)."""
    key, title = f"components[{number}]", f"Composant {number}"
    if isinstance(component, UnitPrice):
        text = f"Prix unitaire : {format_price(component.price)} par unité ({unit})."
        paragraphs = [text]
        if component.by_kind:
            prices = {k: format_price(v) for k, v in component.by_kind.items()}
            paragraphs.append(f"Prix propre à certaines natures de membres : {_by_kind(prices)}.")
        return Section(key, f"{title} — prix unitaire", tuple(paragraphs))
    if isinstance(component, FlatFee):
        paragraphs = [f"Forfait annuel par membre : {format_eur(component.amount_cents)}."]
        if component.by_kind:
            fees = {k: format_eur(v) for k, v in component.by_kind.items()}
            paragraphs.append(f"Forfait propre à certaines natures de membres : {_by_kind(fees)}.")
        return Section(key, f"{title} — forfait", tuple(paragraphs))
    if isinstance(component, Quota):
        paragraphs = [
            f"Forfait de {format_eur(component.fee_cents)} comprenant "
            f"{format_qty(component.included)} {unit}, puis {format_price(component.price)} "
            f"par unité au-delà."
        ]
        if component.included_by_kind:
            included = {
                k: f"{format_qty(v)} {unit} compris" for k, v in component.included_by_kind.items()
            }
            paragraphs.append(f"Quantité comprise selon la nature : {_by_kind(included)}.")
        return Section(key, f"{title} — forfait avec quantité comprise", tuple(paragraphs))
    if isinstance(component, Tiers):
        return _describe_tiers(component, unit, key, title)
    if isinstance(component, Grid):
        return _describe_grid(component, unit, key, title)
    raise TypeError(f"no French text for the component {type(component).__name__}")


def _describe_tiers(tiers: Tiers, unit: str, key: str, title: str) -> Section:
    graduated = tiers.mode.value == "graduated"
    how = (
        "Tranches progressives : chaque tranche est payée à son prix."
        if graduated
        else "Tranches de volume : toutes les unités au prix de la tranche atteinte."
    )
    rows: list[tuple[str, ...]] = []
    for i, band in enumerate(tiers.bands):
        if tiers.lower_bounds:
            start = tiers.start if i == 0 else tiers.bands[i - 1].upto or 0
            label = f"à partir de {_counted(start, QTY_SCALE, unit)}"
        elif band.upto is not None:
            label = f"jusqu'à {_counted(band.upto, QTY_SCALE, unit)}"
        else:
            label = f"au-delà de {_counted(tiers.bands[i - 1].upto or 0, QTY_SCALE, unit)}"
        rows.append((label, format_price(band.price)))
    paragraphs = [how]
    if not tiers.lower_bounds and tiers.maximum is not None:
        paragraphs.append(
            f"Au-delà de {format_qty(tiers.maximum)} {unit}, hors des tranches votées : "
            f"le calcul le signale comme une erreur."
        )
    table = Table(("Tranche", f"Prix par unité ({unit})"), tuple(rows))
    return Section(key, f"{title} — tranches", tuple(paragraphs), table)


def _describe_grid(grid: Grid, unit: str, key: str, title: str) -> Section:
    labels = [
        [_band_label(grid.upto, b, measure_scale(name), _measure(name, unit)) for b in bounds]
        for name, bounds in zip(grid.measures, grid.bounds, strict=True)
    ]
    names = [_measure(name, unit) for name in grid.measures]
    paragraphs = [f"Grille selon : {', '.join(names)}. Les tranches sont écrites comme votées."]
    if grid.table is not None:
        rows: list[tuple[str, ...]] = []
        if len(labels) == 2:
            headers = (f"{names[0]} \\ {names[1]}", *labels[1])
            for label, row in zip(labels[0], grid.table, strict=True):
                rows.append((label, *(format_eur(int(c)) for c in row)))
        else:
            headers = (*names, "Montant")
            for position in product(*(range(len(b)) for b in labels)):
                cell: Any = grid.table
                for i in position:
                    cell = cell[i]
                names_of = (labels[m][i] for m, i in enumerate(position))
                rows.append((*names_of, format_eur(int(cell))))
        return Section(key, f"{title} — grille", tuple(paragraphs), Table(headers, tuple(rows)))
    assert grid.base_cents is not None
    paragraphs.append(
        f"Montant : base de {format_eur(grid.base_cents)} × coefficient de la position "
        f"(somme des numéros de tranche, 0 pour la première)."
    )
    base = grid.base_cents
    coef_rows = tuple(
        (str(i), format_coef(c), format_eur((2 * base * c + COEF_SCALE) // (2 * COEF_SCALE)))
        for i, c in enumerate(grid.coefficients)
    )
    bands = "; ".join(f"{n} : {', '.join(ls)}" for n, ls in zip(names, labels, strict=True))
    paragraphs.append(f"Tranches — {bands}.")
    table = Table(("Position", "Coefficient", "Montant"), coef_rows)
    return Section(key, f"{title} — grille à coefficients", tuple(paragraphs), table)


def describe_exemption(exemption: Exemption) -> str:
    conditions: list[str] = []
    if exemption.kinds:
        conditions.append(f"les {_kinds(sorted(exemption.kinds))}")
    if exemption.population_below is not None:
        conditions.append(f"de moins de {_counted(exemption.population_below, 1, 'habitants')}")
    if exemption.parent_population_below is not None:
        conditions.append(
            "rattachés à une commune de moins de "
            f"{_counted(exemption.parent_population_below, 1, 'habitants')}"
        )
    if exemption.members:
        count = len(exemption.members)
        conditions.append("1 membre désigné" if count == 1 else f"{count} membres désignés")
    who = " ".join(conditions) if conditions else "tous les membres"
    label = exemption.label[:1].upper() + exemption.label[1:]
    return f"{label} : {who} ne paient rien."


def describe_solidarity(solidarity: Solidarity) -> tuple[str, Table]:
    scale = measure_scale(solidarity.measure)
    label = MEASURE_LABELS.get(solidarity.measure, solidarity.measure)
    rows: list[tuple[str, ...]] = []
    previous: int | None = None
    for band in solidarity.bands:
        if band.below is not None:
            text = f"moins de {_counted(band.below, scale, label)}"
            if previous is not None:
                text = f"de {format_scaled(previous, scale)} à {text}"
        else:
            text = f"à partir de {_counted(previous or 0, scale, label)}"
        rows.append((text, f"× {format_coef(band.coefficient)}"))
        previous = band.below
    sentence = (
        f"Péréquation selon « {label} » : le montant (ou, en répartition, la clé) de chaque "
        f"membre est multiplié par le coefficient de sa tranche."
    )
    return sentence, Table(("Tranche", "Coefficient"), tuple(rows))


def describe_tariff(tariff: Tariff) -> TariffText:
    """The whole tariff, section by section, in plain French."""
    unit = tariff.unit
    title = f"{tariff.label or tariff.service} — tarif {tariff.year}"
    sections: list[Section] = []
    reading = READING[tariff.reading]
    nature = "un stock" if tariff.usage is UsageMode.STOCK else "un flux"
    usage = [
        f"Unité de compte : {unit}. La consommation est {nature} ; l'année se lit sur {reading}."
    ]
    usage.append(
        "Une adhésion ou un départ en cours d'année est compté au jour près (prorata temporis)."
        if tariff.prorata
        else "Pas de prorata temporis : la consommation relevée compte telle quelle."
    )
    if tariff.rounding is Rounding.EURO:
        usage.append("Chaque participation est arrondie à l'euro.")
    sections.append(Section("usage", "Ce qui est compté", tuple(usage)))
    payer = [
        "Paie le membre qui souscrit, pour tout ce que sa souscription couvre (lui seul, ou un "
        "EPCI avec ses communes et leurs établissements). Une commune qui souscrit elle-même "
        "paie pour elle-même.",
        "Un EPCI qui paie pour ses communes peut leur refacturer ce qu'il paie pour elles (à la "
        "consommation, à la population ou à parts égales), et sa participation propre : c'est "
        "un choix de l'EPCI inscrit dans sa souscription, pas une règle de ce tarif. Les "
        "communes exonérées ne reçoivent rien.",
    ]
    sharing = tariff.cost_sharing
    if sharing is not None:
        payer.insert(
            0,
            f"Le coût annuel du service, {format_eur(sharing.cost_cents)}, moins les "
            f"subventions, est réparti entre les membres qui souscrivent, au prorata de leurs "
            f"{unit}.",
        )
        if sharing.weights_by_kind:
            weights = {k: f"× {format_coef(v)}" for k, v in sharing.weights_by_kind.items()}
            payer.insert(1, f"Poids d'une unité selon la nature du membre : {_by_kind(weights)}.")
    sections.append(Section("payer", "Qui paie, et comment", tuple(payer)))
    if sharing is not None and sharing.subsidies:
        rows: list[tuple[str, ...]] = []
        for subsidy in sharing.subsidies:
            if subsidy.share is not None:
                amount = f"{format_scaled(subsidy.share * 100, COEF_SCALE)} % du coût"
            else:
                amount = format_eur(subsidy.amount_cents or 0)
            payer_text = (
                "un membre, qui reçoit une ligne « contribution »" if subsidy.member_id else "—"
            )
            rows.append((subsidy.label, amount, payer_text))
        sections.append(
            Section(
                "subsidies",
                "Subventions et contributions",
                ("Elles sont déduites du coût avant la répartition.",),
                Table(("Financeur", "Montant", "Versée par"), tuple(rows)),
            )
        )
    for number, component in enumerate(tariff.components, start=1):
        sections.append(describe_component(component, unit, number))
    if len(tariff.components) > 1:
        sections.append(
            Section("components", "Composants", ("Les montants des composants s'additionnent.",))
        )
    if tariff.exemptions:
        texts = tuple(describe_exemption(e) for e in tariff.exemptions)
        sections.append(
            Section(
                "exemptions",
                "Exonérations",
                (*texts, "Un membre exonéré ne doit rien, même en présence d'un plancher."),
            )
        )
    if tariff.solidarity is not None:
        sentence, table = describe_solidarity(tariff.solidarity)
        sections.append(Section("solidarity", "Péréquation (solidarité)", (sentence,), table))
    limits = tariff.limits
    limit_texts: list[str] = []
    if limits.floor_cents is not None:
        limit_texts.append(f"Participation minimale : {format_eur(limits.floor_cents)}.")
    if limits.cap_cents is not None:
        limit_texts.append(f"Participation maximale : {format_eur(limits.cap_cents)}.")
    if limits.cap_per_inhabitant is not None:
        limit_texts.append(
            f"Au plus {format_price(limits.cap_per_inhabitant)} par habitant "
            f"(membres ayant une population)."
        )
    if limit_texts:
        sections.append(Section("limits", "Plancher et plafonds", tuple(limit_texts)))
    return TariffText(title, tuple(sections))


__all__ = [
    "KIND_LABELS",
    "Section",
    "Table",
    "TariffText",
    "describe_component",
    "describe_tariff",
]
