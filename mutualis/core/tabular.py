"""Tabular files: CSV (as French spreadsheets export them) and XLSX, read into numbered rows
and written back as downloads.

Reading never guesses silently: a file that cannot be read raises `TabularError` carrying a
`RowError`; rows whose shape is wrong are reported in `Table.errors`. Values come back as
stripped strings (CSV) or as the cell's own type (XLSX: str, int, float, bool, date, datetime);
an empty cell is "".
"""

import csv
import datetime as dt
import io
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _

from mutualis.core.numbers import decimal_comma, format_date, format_megabytes

CSV_DELIMITERS = (";", ",", "\t")
# A cell starting with one of these is a formula for a spreadsheet: exports prefix it with an
# apostrophe (CSV) or store it as plain text (XLSX); reading removes that apostrophe.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SUPPORTED_EXTENSIONS = (".csv", ".xlsx")


@dataclass(frozen=True)
class RowError:
    """One problem in an uploaded file; `line` is None for the file as a whole."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(_("ligne %(line)s") % {"line": self.line})
        if self.field:
            where.append(_("colonne %(field)s") % {"field": self.field})
        return f"{', '.join(where)} : {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "RowError":
        return cls(
            file=data.get("file", ""),
            line=data.get("line"),
            field=data.get("field", ""),
            message=data.get("message", ""),
        )


@dataclass
class ImportReport:
    """What an import did, or why it did nothing. Stored as JSON on the job."""

    MAX_STORED_ERRORS = 1000

    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    # Rows imported but worth a second look (a reading ten times the previous one...).
    warnings: list[RowError] = field(default_factory=list)
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def omitted_errors(self) -> int:
        return self.error_count - len(self.errors)

    def add_error(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < self.MAX_STORED_ERRORS:
            self.errors.append(error)

    def extend(self, errors: Iterable[RowError]) -> None:
        for error in errors:
            self.add_error(error)

    def count(self, outcome: str) -> None:
        """Counts one applied row: outcome is "created", "updated" or "unchanged"."""
        setattr(self, outcome, getattr(self, outcome) + 1)

    def to_dict(self) -> dict[str, Any]:
        return {
            "errors": [error.to_dict() for error in self.errors],
            "error_count": self.error_count,
            "warnings": [w.to_dict() for w in self.warnings[: self.MAX_STORED_ERRORS]],
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> "ImportReport":
        data = data or {}
        errors = [RowError.from_dict(e) for e in data.get("errors", [])]
        return cls(
            errors=errors,
            error_count=data.get("error_count", len(errors)),
            warnings=[RowError.from_dict(w) for w in data.get("warnings", [])],
            rows=data.get("rows", 0),
            created=data.get("created", 0),
            updated=data.get("updated", 0),
            unchanged=data.get("unchanged", 0),
        )


class TabularError(Exception):
    """The file cannot be read at all."""

    def __init__(self, error: RowError):
        super().__init__(str(error))
        self.error = error


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


# Writing


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, Decimal):
        return decimal_comma(value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return f"'{value}"
    return str(value)


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with BOM and ";" delimiters: what a French spreadsheet opens without asking."""
    buffer = io.StringIO(newline="")
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_text(v) for v in row])
    return buffer.getvalue().encode("utf-8")


def write_xlsx(headers: Sequence[str], rows: Iterable[Sequence[Any]], title: str = "") -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=(title or "export")[:31])
    bold = Font(bold=True)
    header_cells = []
    for name in headers:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, dt.date):
                cell.number_format = "DD/MM/YYYY"
            elif isinstance(value, str):
                cell.data_type = "s"  # never a formula
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def tabular_response(
    *, file_stem: str, fmt: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """A download of `rows` as "<file_stem>.csv" or "<file_stem>.xlsx"."""
    if fmt == "csv":
        content, content_type = write_csv(headers, rows), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        content, content_type = write_xlsx(headers, rows, title=file_stem), XLSX_CONTENT_TYPE
    else:
        raise ValueError(f"unknown tabular format: {fmt!r}")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_stem}.{fmt}"'
    return response
