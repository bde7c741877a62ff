"""Tabular files: CSV (as French spreadsheets export them) and XLSX, read into numbered rows
(`read`), written back as downloads (`write`), and the report of what an import found
(`report`). The names below are the package's front door."""

from mutualis.core.tabular.read import (
    CSV_DELIMITERS,
    SUPPORTED_EXTENSIONS,
    Table,
    TableRow,
    file_extension,
    fold,
    normalize_header,
    read_table,
    sniff_delimiter,
)
from mutualis.core.tabular.report import ImportReport, RowError, TabularError
from mutualis.core.tabular.write import (
    FORMULA_PREFIXES,
    XLSX_CONTENT_TYPE,
    tabular_response,
    write_csv,
    write_xlsx,
)

__all__ = [
    "CSV_DELIMITERS",
    "FORMULA_PREFIXES",
    "SUPPORTED_EXTENSIONS",
    "XLSX_CONTENT_TYPE",
    "ImportReport",
    "RowError",
    "Table",
    "TableRow",
    "TabularError",
    "file_extension",
    "fold",
    "normalize_header",
    "read_table",
    "sniff_delimiter",
    "tabular_response",
    "write_csv",
    "write_xlsx",
]
