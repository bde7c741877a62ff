from pathlib import Path

import pytest

from mutualis.engine.io import read_members, read_subscriptions, read_usage
from mutualis.engine.model import InputError


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_members_with_indicators_and_semicolons(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "m.csv",
        "id;name;kind;population;parent_id;epci_id;pf\nE1;CC;epci;9000;;;\nC1;A;commune;250;;E1;612,5\n",
    )
    frame = read_members(path)
    assert frame["id"].to_list() == ["E1", "C1"]
    assert frame["ind:pf"].to_list() == [None, 6_125_000]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("id,name,kind,population\nC1,A,ville,3\n", "ligne 2, champ « kind »"),
        (
            "id,name,kind,population\nC1,A,commune,3\nC2,B,commune,-4\n",
            "ligne 3, champ « population »",
        ),
        ("id,name,kind,pf\nC1,A,commune,x\n", "ligne 2, champ « pf »"),
        ("id,name\nC1,A\n", "ligne 1 : colonne « kind »"),
        ("id,name,kind\n,A,commune\n", "ligne 2, champ « id »"),
    ],
)
def test_member_errors_name_file_line_and_field(tmp_path: Path, text: str, where: str) -> None:
    path = write(tmp_path, "membres.csv", text)
    with pytest.raises(InputError) as exc:
        read_members(path)
    assert "membres.csv" in str(exc.value) and where in str(exc.value)


def test_subscriptions(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "s.csv",
        "member_id,service,scope,start,end,establishments,rebill\n"
        "E1,ent,with_establishments,2026-03-01,,S1|S2,population\nC1,ent,,,,,\n",
    )
    frame = read_subscriptions(path)
    assert frame["establishments"].to_list() == [["S1", "S2"], []]
    assert frame["scope"].to_list() == ["with_establishments", "self"]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("member_id,service,start\nC1,ent,2026-13-01\n", "ligne 2, champ « start »"),
        ("member_id,service,scope\nC1,ent,all\n", "ligne 2, champ « scope »"),
        ("member_id,service,rebill\nC1,ent,x\n", "ligne 2, champ « rebill »"),
        ("member_id,service,start,end\nC1,ent,2026-03-01,2026-01-01\n", "ligne 2, champ « end »"),
    ],
)
def test_subscription_errors(tmp_path: Path, text: str, where: str) -> None:
    with pytest.raises(InputError, match=where):
        read_subscriptions(write(tmp_path, "s.csv", text))


def test_usage_quantities_are_exact(tmp_path: Path) -> None:
    text = (
        "member_id,service,period,quantity\n"
        'C1,nas,2026-01,12.5\nC1,nas,2026-02,"0,125"\nC2,nas,2026-12,7\n'
    )
    frame = read_usage(write(tmp_path, "u.csv", text))
    assert frame["quantity"].to_list() == [12_500, 125, 7_000]
    assert frame["month"].to_list() == [1, 2, 12]


@pytest.mark.parametrize(
    ("row", "where"),
    [
        ("C1,nas,2026-1,3", "ligne 3, champ « period »"),
        ("C1,nas,2026-02,-3", "ligne 3, champ « quantity »"),
        ("C1,nas,2026-02,1.0001", "ligne 3, champ « quantity »"),
        (",nas,2026-02,1", "ligne 3, champ « member_id »"),
    ],
)
def test_usage_errors_name_file_line_and_field(tmp_path: Path, row: str, where: str) -> None:
    text = f"member_id,service,period,quantity\nC1,nas,2026-01,1\n{row}\n"
    with pytest.raises(InputError) as exc:
        read_usage(write(tmp_path, "conso.csv", text))
    assert "conso.csv" in str(exc.value) and where in str(exc.value)


def test_usage_missing_column(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="colonne « period » manquante"):
        read_usage(write(tmp_path, "u.csv", "member_id,service,quantity\nC1,x,1\n"))
