"""Reading tabular files: CSV (as French spreadsheets export them) and XLSX, into numbered rows.

Reading never guesses silently: a file that cannot be read raises `TabularError` carrying a
`RowError`; rows whose shape is wrong are reported in `Table.errors`. Values come back as
stripped strings (CSV) or as the cell's own type (XLSX: str, int, float, bool, date, datetime);
an empty cell is "". Every file is bounded by the settings (size, rows, columns, cell length,
XLSX expanded size; no DTD or entity).
"""

import csv
import datetime as dt
import io
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from mutualis.core.numbers import format_megabytes
from mutualis.core.tabular.report import RowError, TabularError

CSV_DELIMITERS = (";", ",", "\t")
SUPPORTED_EXTENSIONS = (".csv", ".xlsx")


@dataclass(frozen=True)
class TableRow:
    line: int  # 1 is the header line
    values: dict[str, Any]

    def get(self, column: str) -> Any:
        return self.values.get(column, "")


@dataclass
class Table:
    file_name: str
    headers: list[str]  # normalised: see normalize_header
    rows: list[TableRow]
    header_line: int = 1
    errors: list[RowError] = field(default_factory=list)


def fold(text: str) -> str:
    """Lower case, no accents: "Début" -> "debut"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalize_header(text: Any) -> str:
    """ "Début ", "DEBUT" and "début" name the same column "debut"; spaces become "_"."""
    folded = fold(str(text if text is not None else "")).strip()
    return "_".join(folded.replace("-", " ").split())


def file_extension(file_name: str) -> str:
    return PurePath(file_name).suffix.lower()


def _too_big(file_name: str, message: str) -> TabularError:
    return TabularError(RowError(file_name, None, "", message))


def read_table(file_name: str, content: bytes) -> Table:
    """Reads a whole file, within the limits of the settings (size, rows, columns, cell length,
    and for XLSX its expanded size, without any DTD or entity)."""
    limit = settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024
    if len(content) > limit:
        raise _too_big(
            file_name,
            _("Ce fichier pèse %(size)s : %(max)s Mo au plus. Découpez-le en plusieurs fichiers.")
            % {"size": format_megabytes(len(content)), "max": settings.IMPORT_MAX_UPLOAD_MB},
        )
    extension = file_extension(file_name)
    if extension == ".csv":
        header_line, header, rows = _csv_rows(file_name, content)
    elif extension == ".xlsx":
        header_line, header, rows = _xlsx_rows(file_name, content)
    else:
        raise TabularError(
            RowError(
                file_name,
                None,
                "",
                _("Format non reconnu « %(ext)s » : envoyez un fichier .csv ou .xlsx.")
                % {"ext": extension or file_name},
            )
        )
    return _build_table(file_name, header_line, header, rows)


def _build_table(
    file_name: str,
    header_line: int,
    header: list[Any] | None,
    rows: Iterable[tuple[int, list[Any]]],
) -> Table:
    if header is None:
        raise TabularError(RowError(file_name, None, "", _("Le fichier est vide.")))
    _check_row_size(file_name, header_line, 0, list(header))
    headers = [normalize_header(h) for h in header]
    seen: set[str] = set()
    for name in headers:
        if name and name in seen:
            raise TabularError(
                RowError(file_name, header_line, name, _("Cette colonne apparaît deux fois."))
            )
        seen.add(name)
    named = [(i, name) for i, name in enumerate(headers) if name]
    if not named:
        raise TabularError(
            RowError(file_name, header_line, "", _("La ligne d'en-tête n'a aucun titre."))
        )
    table = Table(
        file_name=file_name,
        headers=[name for _i, name in named],
        rows=[],
        header_line=header_line,
    )
    for count, (line, cells) in enumerate(rows, start=1):
        _check_row_size(file_name, line, count, cells)
        cells = [_clean_cell(c) for c in cells]
        if all(c == "" for c in cells):
            continue
        extra = [
            c for i, c in enumerate(cells) if c != "" and (i >= len(headers) or not headers[i])
        ]
        if extra:
            table.errors.append(
                RowError(
                    file_name,
                    line,
                    "",
                    _(
                        "Cette ligne a des valeurs hors des colonnes titrées "
                        "(séparateur dans une valeur non entourée de guillemets ?)."
                    ),
                )
            )
            continue
        values = {name: (cells[i] if i < len(cells) else "") for i, name in named}
        table.rows.append(TableRow(line=line, values=values))
    return table


def _check_row_size(file_name: str, line: int, count: int, cells: list[Any]) -> None:
    if count > settings.IMPORT_MAX_ROWS:
        raise _too_big(
            file_name,
            _("Plus de %(max)s lignes : découpez le fichier en plusieurs fichiers.")
            % {"max": settings.IMPORT_MAX_ROWS},
        )
    if len(cells) > settings.IMPORT_MAX_COLUMNS:
        raise TabularError(
            RowError(
                file_name,
                line,
                "",
                _("Plus de %(max)s colonnes : ce n'est pas un fichier à importer.")
                % {"max": settings.IMPORT_MAX_COLUMNS},
            )
        )
    for cell in cells:
        if isinstance(cell, str) and len(cell) > settings.IMPORT_MAX_CELL_LENGTH:
            raise TabularError(
                RowError(
                    file_name,
                    line,
                    "",
                    _("Une cellule dépasse %(max)s caractères.")
                    % {"max": settings.IMPORT_MAX_CELL_LENGTH},
                )
            )


def _clean_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        value = value.strip()
        if len(value) > 1 and value[0] == "'" and value[1] in "=+-@":
            value = value[1:]
        return value
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time(0, 0) else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older spreadsheets save "CSV" in Windows-1252; it never fails to decode.
        return content.decode("cp1252", errors="replace")


def sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in CSV_DELIMITERS}
    best = max(CSV_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_rows(file_name: str, content: bytes):
    text = _decode(content)
    stripped = text.lstrip("\r\n")
    if not stripped.strip():
        return 1, None, []
    skipped = text[: len(text) - len(stripped)].count("\n")
    delimiter = sniff_delimiter(stripped.splitlines()[0])
    reader = csv.reader(io.StringIO(stripped, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
        rows = []
        previous_end = reader.line_num
        for cells in reader:
            rows.append((previous_end + 1 + skipped, cells))
            previous_end = reader.line_num
    except csv.Error as exc:
        raise TabularError(
            RowError(
                file_name,
                reader.line_num + skipped,
                "",
                _("Fichier CSV illisible : %(error)s") % {"error": exc},
            )
        ) from exc
    return skipped + 1, header, rows


def _check_xlsx_archive(file_name: str, content: bytes) -> None:
    """Refuses, before openpyxl reads it, a workbook that would expand beyond the limit or
    that declares a DTD (the door to entity expansion)."""
    unreadable = _too_big(file_name, _("Ce fichier n'est pas un classeur .xlsx lisible."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise unreadable from exc
    with archive:
        entries = archive.infolist()
        expanded = sum(entry.file_size for entry in entries)
        if len(entries) > 10_000 or expanded > settings.IMPORT_MAX_XLSX_EXPANDED_MB * 1024 * 1024:
            raise _too_big(
                file_name,
                _("Ce classeur décompressé dépasse %(max)s Mo : découpez-le.")
                % {"max": settings.IMPORT_MAX_XLSX_EXPANDED_MB},
            )
        for entry in entries:
            if not entry.filename.endswith((".xml", ".rels", ".vml")):
                continue
            try:
                with archive.open(entry) as part:
                    head = part.read(4096)
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
                raise unreadable from exc
            if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
                raise _too_big(
                    file_name,
                    _(
                        "Ce classeur contient une déclaration de type de document (DTD), "
                        "refusée par sécurité : enregistrez-le à nouveau depuis votre tableur."
                    ),
                )


def _xlsx_rows(file_name: str, content: bytes):
    from openpyxl import load_workbook

    _check_xlsx_archive(file_name, content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise TabularError(
            RowError(file_name, None, "", _("Ce fichier n'est pas un classeur .xlsx lisible."))
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # trust the cells, not the size the file claims
        header = None
        header_line = 1
        rows = []
        for line, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            if line > settings.IMPORT_MAX_ROWS + 1:
                _check_row_size(file_name, line, line, [])
            if header is None:
                if all(_clean_cell(c) == "" for c in cells):
                    continue
                header = list(cells)
                header_line = line
                continue
            rows.append((line, list(cells)))
    except TabularError:
        raise
    except Exception as exc:
        raise TabularError(
            RowError(file_name, None, "", _("Ce fichier n'est pas un classeur .xlsx lisible."))
        ) from exc
    finally:
        workbook.close()
    return header_line, header, rows
