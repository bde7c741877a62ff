"""The official open data on the territory: derive, write and read the shipped file set.

The source is the npm package ``@etalab/decoupage-administratif`` (data under Licence Ouverte
2.0, code under MIT). Its JSON files are large and carry much more than Mutualis needs, so the
repository ships a compact derived set under ``mutualis/territory/data/``: four gzipped CSVs
sorted by code, written byte-for-byte reproducibly. This module has no Django dependency
beyond translations, so it is testable on tiny fixture JSON files.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import shutil
import subprocess
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from django.utils.translation import gettext as _

PACKAGE_NAME = "@etalab/decoupage-administratif"
DATA_DIR = Path(__file__).resolve().parent / "data"
SOURCE_FILE = "SOURCE.md"

CURRENT_COMMUNE = "commune-actuelle"
EPCI_KINDS = frozenset({"CC", "CA", "CU", "METRO", "MET69"})

_NPM_VERSION = re.compile(r"^(latest|\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$")


class SourceError(Exception):
    """The source data is missing, malformed or inconsistent."""


class RegionRow(NamedTuple):
    code: str
    name: str


class DepartementRow(NamedTuple):
    code: str
    name: str
    region: str


class EpciRow(NamedTuple):
    siren: str
    name: str
    kind: str
    population: int


class CommuneRow(NamedTuple):
    insee_code: str
    siren: str
    name: str
    population: int
    departement: str
    epci: str  # SIREN of the EPCI, "" when the commune belongs to none


# File name and row type of each kind, in loading order.
FILES: dict[str, tuple[str, type[NamedTuple]]] = {
    "regions": ("regions.csv.gz", RegionRow),
    "departements": ("departements.csv.gz", DepartementRow),
    "epcis": ("epcis.csv.gz", EpciRow),
    "communes": ("communes.csv.gz", CommuneRow),
}


@dataclass
class TerritoryData:
    regions: list[RegionRow] = field(default_factory=list)
    departements: list[DepartementRow] = field(default_factory=list)
    epcis: list[EpciRow] = field(default_factory=list)
    communes: list[CommuneRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {kind: len(getattr(self, kind)) for kind in FILES}


# --- Derivation from the package's JSON files ---------------------------------------------


def _load_json(path: Path) -> list[dict[str, Any]]:
    try:
        with path.open(encoding="utf-8") as handle:
            content = json.load(handle)
    except FileNotFoundError as exc:
        raise SourceError(_("Fichier source introuvable : %(path)s") % {"path": path}) from exc
    except json.JSONDecodeError as exc:
        raise SourceError(
            _("Fichier source illisible : %(path)s (%(error)s)") % {"path": path, "error": exc}
        ) from exc
    if not isinstance(content, list):
        raise SourceError(_("Fichier source inattendu : %(path)s") % {"path": path})
    return content


def _field(item: dict[str, Any], key: str, path: Path) -> Any:
    try:
        return item[key]
    except KeyError as exc:
        raise SourceError(
            _("Champ « %(key)s » absent d'un élément de %(file)s : %(item)s")
            % {"key": key, "file": path.name, "item": str(item)[:200]}
        ) from exc


def derive(package_data_dir: Path) -> TerritoryData:
    """Build the compact data set from an unpacked package's ``data/`` directory."""
    package_data_dir = Path(package_data_dir)
    data = TerritoryData()

    path = package_data_dir / "regions.json"
    for item in _load_json(path):
        data.regions.append(RegionRow(_field(item, "code", path), _field(item, "nom", path)))
    region_codes = {row.code for row in data.regions}

    path = package_data_dir / "departements.json"
    for item in _load_json(path):
        row = DepartementRow(
            _field(item, "code", path), _field(item, "nom", path), _field(item, "region", path)
        )
        if row.region not in region_codes:
            raise SourceError(
                _("Le département %(code)s renvoie à une région inconnue : %(region)s")
                % {"code": row.code, "region": row.region}
            )
        data.departements.append(row)
    departement_codes = {row.code for row in data.departements}

    path = package_data_dir / "communes.json"
    communes: dict[str, dict[str, Any]] = {}
    for item in _load_json(path):
        if item.get("type") != CURRENT_COMMUNE:
            continue
        code = _field(item, "code", path)
        departement = _field(item, "departement", path)
        if departement not in departement_codes:
            raise SourceError(
                _("La commune %(code)s renvoie à un département inconnu : %(departement)s")
                % {"code": code, "departement": departement}
            )
        if code in communes:
            raise SourceError(_("Commune en double : %(code)s") % {"code": code})
        communes[code] = item

    path = package_data_dir / "epci.json"
    epci_of_commune: dict[str, str] = {}
    for item in _load_json(path):
        siren = _field(item, "code", path)
        kind = _field(item, "type", path)
        if kind not in EPCI_KINDS:
            raise SourceError(
                _("Type d'EPCI inconnu pour %(siren)s : %(kind)s") % {"siren": siren, "kind": kind}
            )
        population = item.get("populationMunicipale", item.get("populationTotale", 0)) or 0
        data.epcis.append(EpciRow(siren, _field(item, "nom", path), kind, int(population)))
        for member in _field(item, "membres", path):
            code = _field(member, "code", path)
            if code not in communes:
                data.warnings.append(
                    _("L'EPCI %(siren)s compte une commune qui n'est pas actuelle : %(code)s")
                    % {"siren": siren, "code": code}
                )
                continue
            if code in epci_of_commune:
                raise SourceError(
                    _("La commune %(code)s appartient à deux EPCI : %(first)s et %(second)s")
                    % {"code": code, "first": epci_of_commune[code], "second": siren}
                )
            epci_of_commune[code] = siren

    for code, item in communes.items():
        data.communes.append(
            CommuneRow(
                insee_code=code,
                siren=item.get("siren") or "",
                name=_field(item, "nom", path),
                population=int(item.get("population") or 0),
                departement=item["departement"],
                epci=epci_of_commune.get(code, ""),
            )
        )

    data.regions.sort()
    data.departements.sort()
    data.epcis.sort()
    data.communes.sort()
    return data


# --- The shipped file set --------------------------------------------------------------------


def write_derived(data: TerritoryData, out_dir: Path) -> dict[str, Path]:
    """Write the four gzipped CSVs (reproducible bytes: fixed mtime, no file name)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for kind, (filename, row_type) in FILES.items():
        text = io.StringIO(newline="")
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(row_type._fields)
        writer.writerows(getattr(data, kind))
        target = out_dir / filename
        tmp = target.with_suffix(".tmp")
        with (
            tmp.open("wb") as raw,
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as handle,
        ):
            handle.write(text.getvalue().encode("utf-8"))
        tmp.replace(target)
        written[kind] = target
    return written


def _read_rows(path: Path, row_type: type[NamedTuple]) -> Iterator[Any]:
    int_fields = {"population"}
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None or tuple(header) != row_type._fields:
            raise SourceError(
                _("En-tête inattendu dans %(path)s : %(header)s") % {"path": path, "header": header}
            )
        casts = [int if name in int_fields else str for name in header]
        for values in reader:
            yield row_type(*(cast(value) for cast, value in zip(casts, values, strict=True)))


def read_derived(data_dir: Path | None = None) -> TerritoryData:
    """Read the shipped file set (or another directory written by `write_derived`)."""
    data_dir = DATA_DIR if data_dir is None else Path(data_dir)
    data = TerritoryData()
    for kind, (filename, row_type) in FILES.items():
        path = data_dir / filename
        if not path.exists():
            raise SourceError(_("Fichier de données introuvable : %(path)s") % {"path": path})
        setattr(data, kind, list(_read_rows(path, row_type)))
    return data


# --- Package metadata, SOURCE.md and npm ------------------------------------------------------


def package_version(package_data_dir: Path) -> str | None:
    """The version in the package.json next to ``data/``, when there is one."""
    manifest = Path(package_data_dir).parent / "package.json"
    try:
        return str(json.loads(manifest.read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError):
        return None


def package_vintage(package_data_dir: Path, version: str) -> str | None:
    """The millésime (year) of a version, read from the table of the package's README."""
    readme = Path(package_data_dir).parent / "README.md"
    try:
        text = readme.read_text(encoding="utf-8")
    except OSError:
        return None
    match = re.search(
        rf"^\|\s*(\d{{4}})\s*\|\s*{re.escape(version)}\s*\|", text, flags=re.MULTILINE
    )
    return match.group(1) if match else None


_SOURCE_TEMPLATE = """\
# Territory data: source

Derived from the npm package [`{package}`](https://www.npmjs.com/package/{package})
(repository: https://github.com/datagouv/decoupage-administratif), itself built from
INSEE's Code officiel géographique, the DGCL list of EPCI à fiscalité propre and INSEE's
populations légales.

- Package version: {version}
- Millésime: {vintage}
- Counts: {counts}

## Licence

- Data: Licence Ouverte / Open Licence 2.0 (Etalab),
  https://www.etalab.gouv.fr/licence-ouverte-open-licence. Source: INSEE, DGCL, via Etalab.
- The package's code is under the MIT licence; none of it is copied here, only data.

## Files

Gzipped CSVs, UTF-8, one header line, sorted by code:

- `regions.csv.gz`: code, name
- `departements.csv.gz`: code, name, region (code)
- `epcis.csv.gz`: siren, name, kind (CC, CA, CU, METRO, MET69), population (municipale, whole EPCI)
- `communes.csv.gz`: insee_code, siren, name, population, departement (code), epci (SIREN or
  empty). Only current communes (type `commune-actuelle`): no communes déléguées or associées,
  no arrondissements municipaux.
- `postcodes.csv.gz`: insee_code, postcodes (the `codesPostaux` of the commune, sorted,
  separated by spaces; communes without any are left out), read by `postcodes.py`.

Populations: a commune's is the `population` of `communes.json` (INSEE population municipale);
an EPCI's is the `populationMunicipale` of `epci.json` for the whole EPCI (DGCL file), which may
come from another INSEE vintage than the communes' and so need not equal their sum.

## Refresh

    mutualis territory refresh --version X.Y.Z   # runs `npm pack`, needs npm and the network
    mutualis territory refresh --from-dir PATH/package/data   # an already unpacked package

Without `--version`, the latest release is used. The command rewrites the five files and the
version, millésime and counts lines above; then run `mutualis territory load` to apply.
"""

_VERSION_LINE = re.compile(r"^- Package version: .*$", flags=re.MULTILINE)
_VINTAGE_LINE = re.compile(r"^- Millésime: .*$", flags=re.MULTILINE)
_COUNTS_LINE = re.compile(r"^- Counts: .*$", flags=re.MULTILINE)


def _format_counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{count} {kind}" for kind, count in counts.items())


def write_source_md(
    out_dir: Path, version: str, vintage: str | None, counts: dict[str, int]
) -> Path:
    """Update the version, millésime and counts lines of SOURCE.md (create it if missing)."""
    path = Path(out_dir) / SOURCE_FILE
    vintage_text = vintage or "unknown"
    counts_text = _format_counts(counts)
    if path.exists():
        text = path.read_text(encoding="utf-8")
        for pattern, line in (
            (_VERSION_LINE, f"- Package version: {version}"),
            (_VINTAGE_LINE, f"- Millésime: {vintage_text}"),
            (_COUNTS_LINE, f"- Counts: {counts_text}"),
        ):
            if pattern.search(text):
                text = pattern.sub(lambda _match, line=line: line, text, count=1)
            else:
                text = text.rstrip("\n") + f"\n\n{line}\n"
    else:
        text = _SOURCE_TEMPLATE.format(
            package=PACKAGE_NAME, version=version, vintage=vintage_text, counts=counts_text
        )
    path.write_text(text, encoding="utf-8")
    return path


def read_source_info(data_dir: Path | None = None) -> dict[str, str]:
    """Package name, version and millésime recorded in a data directory's SOURCE.md."""
    path = (DATA_DIR if data_dir is None else Path(data_dir)) / SOURCE_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return {}
    info = {"package": PACKAGE_NAME}
    for key, pattern in (("version", _VERSION_LINE), ("vintage", _VINTAGE_LINE)):
        match = pattern.search(text)
        if match:
            info[key] = match.group(0).split(":", 1)[1].strip()
    return info


def validate_version(version: str) -> str:
    if not _NPM_VERSION.match(version):
        raise SourceError(
            _("Version invalide : %(version)s (attendu : X.Y.Z ou latest)") % {"version": version}
        )
    return version


def npm_pack(version: str, workdir: Path, npm: str = "npm") -> Path:
    """Download and unpack the package with ``npm pack``; return its ``data/`` directory."""
    validate_version(version)
    executable = shutil.which(npm)
    if executable is None:
        raise SourceError(_("npm est introuvable : installez Node.js ou utilisez --from-dir."))
    workdir = Path(workdir)
    spec = f"{PACKAGE_NAME}@{version}"
    result = subprocess.run(  # noqa: S603 - fixed executable, validated version
        [executable, "pack", spec, "--silent"],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        raise SourceError(
            _("npm pack %(spec)s a échoué : %(error)s")
            % {"spec": spec, "error": (result.stderr or result.stdout).strip()[-500:]}
        )
    tarballs = sorted(workdir.glob("*.tgz"))
    if not tarballs:
        raise SourceError(_("npm pack %(spec)s n'a produit aucune archive.") % {"spec": spec})
    with tarfile.open(tarballs[-1], "r:gz") as archive:
        archive.extractall(workdir, filter="data")
    data_dir = workdir / "package" / "data"
    if not data_dir.is_dir():
        raise SourceError(_("L'archive ne contient pas de dossier package/data."))
    return data_dir
