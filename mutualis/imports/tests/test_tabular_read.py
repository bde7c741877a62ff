"""Reading CSV and XLSX files into numbered rows."""

import datetime as dt

import pytest

from mutualis.core.tabular import TabularError, read_table, sniff_delimiter
from mutualis.imports.tests.helpers import csv_bytes, xlsx_bytes


def lines_and_values(table):
    return [(row.line, row.values) for row in table.rows]


@pytest.mark.parametrize("bom", [True, False])
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_csv_delimiter_and_bom(bom, delimiter):
    content = csv_bytes(
        ["Nom", "Début"], [["Mérignac", "2024-01-01"]], delimiter=delimiter, bom=bom
    )

    table = read_table("f.csv", content)

    assert table.headers == ["nom", "debut"]
    assert lines_and_values(table) == [(2, {"nom": "Mérignac", "debut": "2024-01-01"})]


def test_sniffing_prefers_the_most_frequent_delimiter():
    assert sniff_delimiter("nom;type;siren") == ";"
    assert sniff_delimiter("nom,type,siren") == ","
    assert sniff_delimiter("code") == ","


def test_csv_lines_count_blank_and_multiline_rows():
    content = (
        'code;nom\r\n33063;Bordeaux\r\n;\r\n33281;"Mérignac\r\nsur deux lignes"\r\n33318;Pessac\r\n'
    )

    table = read_table("f.csv", content.encode())

    assert [row.line for row in table.rows] == [2, 4, 6]
    assert table.rows[1].values["nom"] == "Mérignac\r\nsur deux lignes"


def test_windows_1252_csv_is_read():
    table = read_table("f.csv", "nom;type\nÉcole;school\n".encode("cp1252"))

    assert table.rows[0].values == {"nom": "École", "type": "school"}


def test_extra_cells_and_escaped_formulas():
    content = b"nom;type\n'=SOMME(A1);ccas\nCCAS; Saint-Jean;ccas\n"

    table = read_table("f.csv", content)

    assert table.rows[0].values["nom"] == "=SOMME(A1)"
    assert [(e.line, e.field) for e in table.errors] == [(3, "")]


def test_duplicate_header_is_refused():
    with pytest.raises(TabularError) as info:
        read_table("f.csv", b"code;Code\n1;2\n")
    assert (info.value.error.line, info.value.error.field) == (1, "code")


def test_xlsx_values_keep_their_types():
    content = xlsx_bytes(
        ["membre", "debut", "numero", "note"],
        [
            [213300635, dt.datetime(2024, 1, 31), 12.0, " texte "],
            [None, None, None, None],
            ["33063", dt.date(2024, 2, 1), 1.5, None],
        ],
    )

    table = read_table("f.xlsx", content)

    assert lines_and_values(table) == [
        (2, {"membre": 213300635, "debut": dt.date(2024, 1, 31), "numero": 12, "note": "texte"}),
        (4, {"membre": "33063", "debut": dt.date(2024, 2, 1), "numero": 1.5, "note": ""}),
    ]


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("f.txt", b"code\n1\n", ".csv ou .xlsx"),
        ("f.xlsx", b"PK\x03\x04 broken", "xlsx lisible"),
        ("f.csv", b"\r\n\r\n", "vide"),
    ],
)
def test_unreadable_files(name, content, fragment):
    with pytest.raises(TabularError) as info:
        read_table(name, content)
    assert fragment in info.value.error.message
