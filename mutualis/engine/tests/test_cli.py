import csv
from pathlib import Path

import pytest

from mutualis.engine.cli import main

MEMBERS = """id,name,kind,population,parent_id,epci_id
E1,CC du Lac,epci,9000,,
C1,Ancy,commune,250,,E1
C2,Bourg,commune,4000,,E1
S1,École,establishment,,C2,E1
"""
USAGE = """member_id,service,period,quantity
C1,ent,2026-09,10
C2,ent,2026-09,125
S1,ent,2026-09,12
C2,ent,2025-09,999
"""
TARIFF = """service = "ent"
year = 2026
unit = "élèves"
[[components]]
type = "unit_price"
price = 12.40
[[exemptions]]
kinds = ["commune"]
population_below = 500
"""
SUBS = """member_id,service,scope,start,end,establishments,rebill
E1,ent,with_establishments,2026-07-01,,,usage
"""


def files(tmp_path: Path) -> list[str]:
    for name, text in [("m.csv", MEMBERS), ("u.csv", USAGE), ("t.toml", TARIFF), ("s.csv", SUBS)]:
        (tmp_path / name).write_text(text, encoding="utf-8")
    return [
        "--tariff",
        str(tmp_path / "t.toml"),
        "--members",
        str(tmp_path / "m.csv"),
        "--usage",
        str(tmp_path / "u.csv"),
        "--year",
        "2026",
    ]


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_allocate_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "charges.csv"
    assert main([*files(tmp_path), "--output", str(out)]) == 0
    rows = read(out)
    assert [(r["member_id"], r["payer_id"], r["amount"]) for r in rows] == [
        ("C1", "C1", "0.00"),
        ("C2", "C2", "1550.00"),
        ("S1", "S1", "148.80"),
    ]
    assert rows[1]["explanation"] == (
        "125 élèves × 12,40\u00a0€ = 1\u202f550,00\u00a0€ ; "
        "exonération commune < 500 hab. : non ; dû 1\u202f550,00\u00a0€"
    )
    assert "ent 2026 : 3 lignes" in capsys.readouterr().err


def test_allocate_with_subscriptions_and_rebilling(tmp_path: Path) -> None:
    out = tmp_path / "charges.csv"
    args = [*files(tmp_path), "--subscriptions", str(tmp_path / "s.csv"), "--output", str(out)]
    assert main(args) == 0
    rows = read(out)
    operator = [(r["member_id"], r["payer_id"], r["amount"]) for r in rows if not r["issuer_id"]]
    # from 1 July: 184/365 of the year
    assert operator == [
        ("C1", "E1", "0.00"),
        ("C2", "E1", "781.37"),
        ("E1", "E1", "0.00"),
        ("S1", "E1", "75.01"),
    ]
    rebill = [(r["member_id"], r["issuer_id"], r["amount"]) for r in rows if r["issuer_id"]]
    assert rebill == [("C2", "E1", "856.38")]


def test_errors_are_reported_with_exit_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = files(tmp_path)
    (tmp_path / "t.toml").write_text(TARIFF.replace("price =", "prix ="), encoding="utf-8")
    assert main([*args, "--output", str(tmp_path / "o.csv")]) == 2
    assert "t.toml" in capsys.readouterr().err
    assert main(["--year", "x"]) == 2
    assert main([*args[:-2], "--year", "2027", "--output", "-"]) == 2
