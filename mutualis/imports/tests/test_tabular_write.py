"""Writing CSV and XLSX downloads that spreadsheets open and the imports read back."""

import datetime as dt
import io

from openpyxl import load_workbook

from mutualis.core.tabular import (
    ImportReport,
    RowError,
    read_table,
    tabular_response,
    write_csv,
    write_xlsx,
)

HEADERS = ["nom", "debut", "note"]
ROWS = [["=1+1", dt.date(2024, 1, 31), None], ["Bègles", None, "-"]]


def test_csv_is_french_spreadsheet_friendly():
    content = write_csv(HEADERS, ROWS)

    assert content.startswith("\ufeff".encode())
    assert content.decode("utf-8-sig").splitlines() == [
        "nom;debut;note",
        "'=1+1;31/01/2024;",
        "Bègles;;'-",
    ]


def test_xlsx_has_real_dates_and_no_formula():
    workbook = load_workbook(io.BytesIO(write_xlsx(HEADERS, ROWS, title="adhesions")))
    sheet = workbook.active
    try:
        assert sheet.title == "adhesions"
        assert sheet["A2"].value == "=1+1"
        assert sheet["A2"].data_type == "s"
        assert sheet["B2"].value == dt.datetime(2024, 1, 31)
    finally:
        workbook.close()


def test_both_formats_read_back_to_the_same_values():
    from_csv = read_table("f.csv", write_csv(HEADERS, ROWS))
    from_xlsx = read_table("f.xlsx", write_xlsx(HEADERS, ROWS))

    assert [r.values["nom"] for r in from_csv.rows] == ["=1+1", "Bègles"]
    assert [r.values["nom"] for r in from_xlsx.rows] == ["=1+1", "Bègles"]
    assert from_xlsx.rows[0].values["debut"] == dt.date(2024, 1, 31)


def test_response_is_an_attachment():
    response = tabular_response(file_stem="adhesions", fmt="xlsx", headers=HEADERS, rows=ROWS)

    assert response["Content-Disposition"] == 'attachment; filename="adhesions.xlsx"'
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_report_round_trips_as_json_and_caps_stored_errors():
    report = ImportReport(rows=3)
    for line in range(ImportReport.MAX_STORED_ERRORS + 5):
        report.add_error(RowError("f.csv", line, "siren", "faux"))

    again = ImportReport.from_dict(report.to_dict())

    assert again.error_count == ImportReport.MAX_STORED_ERRORS + 5
    assert len(again.errors) == ImportReport.MAX_STORED_ERRORS
    assert again.omitted_errors == 5
    assert not again.ok
    assert str(again.errors[2]) == "f.csv, ligne 2, colonne siren : faux"
