"""Météo-France's daily climatological files import as they are downloaded, all or nothing,
and the export of what is stored imports back unchanged."""

import datetime as dt

import pytest

from mutualis.alerts.models import DailyWeather, WeatherStation
from mutualis.imports.exports import EXPORTS
from mutualis.imports.tests.helpers import run_import

pytestmark = pytest.mark.django_db

# The real header of a « RR-T-Vent » file (Q_33_latest-2025-2026_RR-T-Vent.csv), abridged rows.
HEADER = (
    "NUM_POSTE;NOM_USUEL;LAT;LON;ALTI;AAAAMMJJ;RR;QRR;TN;QTN;HTN;QHTN;TX;QTX;HTX;QHTX;TM;QTM;"
    "TNTXM;QTNTXM;TAMPLI;QTAMPLI;TNSOL;QTNSOL;TN50;QTN50;DG;QDG;FFM;QFFM;FF2M;QFF2M;FXY;QFXY;"
    "DXY;QDXY;HXY;QHXY;FXI;QFXI;DXI;QDXI;HXI;QHXI;FXI2;QFXI2;DXI2;QDXI2;HXI2;QHXI2;FXI3S;"
    "QFXI3S;DXI3S;QDXI3S;HXI3S;QHXI3S"
)
EMPTY_TAIL = ";" * 37


def line(code, name, day, tn, tx, tm):
    return (
        f"{code};{name};44.830667;-0.691333;47;{day};0.2;1;{tn};1;;;{tx};1;;;{tm};1;" + EMPTY_TAIL
    )


def file(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode()


def test_a_meteo_france_file_imports_per_station_and_day():
    content = file(
        line("33281001", "BORDEAUX-MERIGNAC", "20261130", "3.1", "11.8", "7.2"),
        line("33281001", "BORDEAUX-MERIGNAC", "20261201", "1.0", "9.0", ""),
        line("33236002", "CAP-FERRET", "20261130", "6.4", "12.0", "9.1"),
    )
    report = run_import("weather", "Q_33_latest-2025-2026_RR-T-Vent.csv", content)
    assert report.ok, [str(e) for e in report.errors]
    assert report.created == 3
    station = WeatherStation.objects.get(code="33281001")
    assert station.name == "Bordeaux-Merignac"
    days = {w.day: w.daily_mean for w in DailyWeather.objects.filter(station=station)}
    assert days == {dt.date(2026, 11, 30): 7.2, dt.date(2026, 12, 1): 5.0}

    again = run_import("weather", "Q_33.csv", content)
    assert (again.created, again.unchanged) == (0, 3)


def test_a_bad_cell_refuses_the_whole_file_naming_line_and_column():
    content = file(
        line("33281001", "BORDEAUX-MERIGNAC", "20261130", "3.1", "11.8", "7.2"),
        line("33281001", "BORDEAUX-MERIGNAC", "20261131", "1.0", "9.0", ""),
        line("33281001", "BORDEAUX-MERIGNAC", "20261202", "12.0", "9.0", "abc"),
    )
    report = run_import("weather", "Q_33.csv", content)
    assert not report.ok
    assert {(e.file, e.line, e.field) for e in report.errors} == {
        ("Q_33.csv", 3, "AAAAMMJJ"),
        ("Q_33.csv", 4, "TM"),
    }
    assert "n'existe pas" in report.errors[0].message
    assert DailyWeather.objects.count() == 0 and WeatherStation.objects.count() == 0


def test_the_export_imports_back_unchanged():
    content = file(line("33281001", "BORDEAUX-MERIGNAC", "20261130", "3.1", "11.8", "7.2"))
    assert run_import("weather", "Q_33.csv", content).ok
    export = EXPORTS["weather"]
    rows = export.build()
    header = ";".join(export.headers)
    body = "\n".join(";".join("" if v is None else str(v) for v in row) for row in rows)
    report = run_import("weather", "export.csv", f"{header}\n{body}\n".encode())
    assert report.ok, [str(e) for e in report.errors]
    assert report.unchanged == 1
