"""``mutualis allocate``: charges from files alone, without any database."""

from __future__ import annotations

import argparse
import sys

import polars as pl

from mutualis.engine.allocate import Inputs, allocate_many
from mutualis.engine.explain import net_cost_text
from mutualis.engine.io import charges_frame, read_members, read_subscriptions, read_usage
from mutualis.engine.model import InputError
from mutualis.engine.money import format_eur
from mutualis.engine.tariff import TariffError, load_tariff


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mutualis allocate",
        description="Calcule les participations d'un ou plusieurs tarifs (fichiers seuls).",
    )
    parser.add_argument("--tariff", action="append", required=True, help="tarif TOML (répétable)")
    parser.add_argument("--members", required=True, help="membres (CSV)")
    parser.add_argument("--usage", required=True, help="consommations mensuelles (CSV)")
    parser.add_argument("--subscriptions", help="souscriptions (CSV, facultatif)")
    parser.add_argument("--year", type=int, required=True, help="année facturée")
    parser.add_argument("--output", required=True, help="participations (CSV), « - » = sortie")
    return parser


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        tariffs = [load_tariff(path) for path in args.tariff]
        members = read_members(args.members)
        subscriptions = read_subscriptions(args.subscriptions) if args.subscriptions else None
        usage = read_usage(args.usage)
        results = allocate_many(tariffs, Inputs.build(members, subscriptions, usage), args.year)
        table = pl.concat([charges_frame(r.to_frame()) for r in results])
        if args.output == "-":
            sys.stdout.write(table.write_csv())
        else:
            table.write_csv(args.output)
    except (TariffError, InputError, OSError) as exc:
        print(f"erreur : {exc}", file=sys.stderr)
        return 2
    for result in results:
        summary = (
            f"{result.tariff.service} {result.year} : {result.lines.height} lignes, "
            f"total {format_eur(result.total_cents())}"
        )
        if result.net_cost_cents is not None:
            summary += f" ({net_cost_text(result)})"
        if result.unallocated_cents:
            summary += f" ; non réparti {format_eur(result.unallocated_cents)}"
        print(summary, file=sys.stderr)
    return 0
