"""Loading the shipped territory data into the database: idempotent, bulk, in one transaction.

Each kind (régions, départements, EPCI, communes) is synchronised the same way: the existing
rows are read once into a dict keyed by their code, the source rows are compared with them,
then new rows are bulk-created and changed rows bulk-updated (only the fields that changed).
Rows that are in the database but no longer in the source are counted, never deleted: other
records (members, for instance) may point to them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connections, models, router, transaction
from django.utils.translation import gettext as _

from mutualis.core.text import normalize_name
from mutualis.territory.models import Commune, Departement, Epci, Region
from mutualis.territory.sources import TerritoryData, read_derived

# progress(label, done, total): called after each processed chunk of a kind.
Progress = Callable[[str, int, int], None]

CHUNK_SIZE = 5000
BATCH_SIZE = 1000


class UnknownDepartementError(ValueError):
    """Some requested département codes are not in the data: nothing was loaded."""

    def __init__(self, codes: Iterable[str], known: Iterable[str]):
        self.codes = sorted(codes)
        known = sorted(known)
        examples = [code for code in ("01", "2A", "33", "971") if code in known] or known[:4]
        super().__init__(
            _("Département inconnu : %(codes)s. Exemples de codes valides : %(examples)s.")
            % {"codes": ", ".join(self.codes), "examples": ", ".join(examples)}
        )


@dataclass
class KindReport:
    label: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # In the database, within the loaded scope, but no longer in the source (kept).
    absent: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def line(self) -> str:
        text = _(
            "%(label)s : %(created)d créé(s), %(updated)d mis à jour, %(unchanged)d inchangé(s)"
        ) % {
            "label": self.label,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }
        if self.absent:
            text += _(", %(absent)d absent(s) des données (conservé(s))") % {"absent": self.absent}
        return text


@dataclass
class LoadReport:
    departements_filter: list[str] | None = None
    regions: KindReport = field(default_factory=lambda: KindReport(_("Régions")))
    departements: KindReport = field(default_factory=lambda: KindReport(_("Départements")))
    epcis: KindReport = field(default_factory=lambda: KindReport(_("EPCI")))
    communes: KindReport = field(default_factory=lambda: KindReport(_("Communes")))

    def kinds(self) -> list[KindReport]:
        return [self.regions, self.departements, self.epcis, self.communes]

    @property
    def created(self) -> int:
        return sum(kind.created for kind in self.kinds())

    @property
    def updated(self) -> int:
        return sum(kind.updated for kind in self.kinds())

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def lines(self) -> list[str]:
        return [kind.line() for kind in self.kinds()]


def normalize_departement_code(code: str) -> str:
    """``"1"`` → ``"01"``, ``"2a"`` → ``"2A"``, surrounding spaces removed."""
    code = str(code).strip().upper()
    return code.zfill(2) if code.isdigit() and len(code) == 1 else code


@dataclass
class _Scope:
    data: TerritoryData
    full: bool
    departement_codes: set[str]


def _select(data: TerritoryData, departements: list[str] | None) -> _Scope:
    """Restrict the data to some départements, or raise before touching the database."""
    if not departements:
        return _Scope(data, True, {row.code for row in data.departements})
    known = {row.code for row in data.departements}
    wanted = {normalize_departement_code(code) for code in departements}
    unknown = wanted - known
    if unknown:
        raise UnknownDepartementError(unknown, known)
    deps = [row for row in data.departements if row.code in wanted]
    region_codes = {row.region for row in deps}
    communes = [row for row in data.communes if row.departement in wanted]
    epci_sirens = {row.epci for row in communes if row.epci}
    subset = TerritoryData(
        regions=[row for row in data.regions if row.code in region_codes],
        departements=deps,
        epcis=[row for row in data.epcis if row.siren in epci_sirens],
        communes=communes,
    )
    return _Scope(subset, False, wanted)


def _bulk_update(
    model: type[models.Model], rows: list[tuple[int, dict[str, Any]]], attnames: list[str]
) -> None:
    """``UPDATE ... WHERE id = ?`` with executemany: one statement, many parameter rows.

    Much faster than QuerySet.bulk_update (a CASE per field and batch) when a new millésime
    changes the population of every commune.
    """
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    meta = model._meta
    fields = [meta.get_field(name) for name in attnames]
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608
    params = [
        [field.get_db_prep_save(row[field.attname], connection) for field in fields] + [pk]
        for pk, row in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), BATCH_SIZE):
            cursor.executemany(sql, params[start : start + BATCH_SIZE])


def _sync(
    model: type[models.Model],
    key: str,
    rows: list[dict[str, Any]],
    report: KindReport,
    progress: Progress | None,
    in_scope: Callable[[dict[str, Any]], bool] | None = None,
) -> dict[str, int]:
    """Create or update ``rows`` (dicts of attnames) keyed by ``key``; return key → id.

    ``in_scope`` tells which existing rows the source is authoritative for: those absent from
    the source are counted in ``report.absent``. None means no existing row is counted.
    """
    fields = [name for name in (rows[0] if rows else {}) if name != key]
    existing = {values[key]: values for values in model.objects.values("id", key, *fields)}
    total = len(rows)
    done = 0
    for start in range(0, total, CHUNK_SIZE):
        chunk = rows[start : start + CHUNK_SIZE]
        to_create = []
        to_update: list[tuple[int, dict[str, Any]]] = []
        changed_fields: set[str] = set()
        for row in chunk:
            current = existing.get(row[key])
            if current is None:
                to_create.append(model(**row))
                continue
            diff = [name for name in fields if current[name] != row[name]]
            if diff:
                to_update.append((current["id"], row))
                changed_fields.update(diff)
            else:
                report.unchanged += 1
        if to_create:
            model.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
            report.created += len(to_create)
        if to_update:
            _bulk_update(model, to_update, [name for name in fields if name in changed_fields])
            report.updated += len(to_update)
        done += len(chunk)
        if progress is not None:
            progress(report.label, done, total)
    if total == 0 and progress is not None:
        progress(report.label, 0, 0)
    if in_scope is not None:
        source_keys = {row[key] for row in rows}
        report.absent = sum(
            1 for code, values in existing.items() if code not in source_keys and in_scope(values)
        )
    return dict(model.objects.values_list(key, "id"))


def territory_load(
    departements: list[str] | None = None,
    progress: Progress | None = None,
    *,
    data: TerritoryData | None = None,
    data_dir: Path | None = None,
) -> LoadReport:
    """Load all of France, or the given départements, from the shipped data (or ``data``).

    With départements, loads their régions, the départements themselves, their communes and
    every EPCI having at least one commune there (with the population of the whole EPCI).
    Raises UnknownDepartementError, before any write, when a code is not in the data.
    """
    if data is None:
        data = read_derived(data_dir)
    scope = _select(data, departements)
    source = scope.data
    report = LoadReport(departements_filter=None if scope.full else sorted(scope.departement_codes))

    with transaction.atomic(using=router.db_for_write(Commune)):
        region_ids = _sync(
            Region,
            "code",
            [{"code": row.code, "name": row.name} for row in source.regions],
            report.regions,
            progress,
            (lambda values: True) if scope.full else None,
        )
        departement_ids = _sync(
            Departement,
            "code",
            [
                {"code": row.code, "name": row.name, "region_id": region_ids[row.region]}
                for row in source.departements
            ],
            report.departements,
            progress,
            (lambda values: True) if scope.full else None,
        )
        epci_ids = _sync(
            Epci,
            "siren",
            [
                {
                    "siren": row.siren,
                    "name": row.name,
                    "search_name": normalize_name(row.name),
                    "kind": row.kind,
                    "population": row.population,
                }
                for row in source.epcis
            ],
            report.epcis,
            progress,
            (lambda values: True) if scope.full else None,
        )
        scoped_departement_ids = {departement_ids[code] for code in scope.departement_codes}
        _sync(
            Commune,
            "insee_code",
            [
                {
                    "insee_code": row.insee_code,
                    "siren": row.siren,
                    "name": row.name,
                    "search_name": normalize_name(row.name),
                    "population": row.population,
                    "departement_id": departement_ids[row.departement],
                    "epci_id": epci_ids[row.epci] if row.epci else None,
                }
                for row in source.communes
            ],
            report.communes,
            progress,
            lambda values: values["departement_id"] in scoped_departement_ids,
        )
    return report
