from hypothesis import given
from hypothesis import strategies as st

from mutualis.engine.tests.helpers import run
from mutualis.engine.tests.profiles import examples

UNIT = '[[components]]\ntype = "unit_price"\nprice = 12.40\n'
SMALL = '[[exemptions]]\nkinds = ["commune"]\npopulation_below = 500\n'


def test_small_communes_are_free_and_the_explanation_says_so() -> None:
    result = run(UNIT + SMALL, {"C1": 10, "C2": 125})
    assert result.amounts() == {"C1": 0, "C2": 155_000}
    texts = result.explanations()
    assert "exonération commune < 500 hab. : oui ; dû 0,00" in texts[0]
    assert (
        "125 unités × 12,40\u00a0€ = 1\u202f550,00\u00a0€ ; exonération commune < 500 hab. : non"
        in (texts[1])
    )
    assert result.lines["exemption"].to_list() == ["commune < 500 hab.", ""]


def test_named_members_are_exempt() -> None:
    body = UNIT + '[[exemptions]]\nlabel = "convention de partenariat"\nmembers = ["C2"]\n'
    result = run(body, {"C1": 10, "C2": 125})
    assert result.amounts() == {"C1": 12_400, "C2": 0}


def test_exempt_members_are_out_of_the_cost_sharing_key() -> None:
    body = "[cost_sharing]\ncost = 1000\n" + SMALL
    result = run(body, {"C1": 10, "C2": 30, "C4": 10})
    assert result.amounts() == {"C1": 0, "C2": 75_000, "C4": 25_000}


def test_floor_does_not_apply_to_exempt_members() -> None:
    body = UNIT + SMALL + "[limits]\nfloor = 100\n"
    result = run(body, {"C1": 1, "C2": 1})
    assert result.amounts() == {"C1": 0, "C2": 10_000}


@examples(40)
@given(
    units=st.lists(st.integers(0, 10**6), min_size=6, max_size=6),
    threshold=st.integers(0, 5_000),
    sharing=st.booleans(),
)
def test_exempt_members_owe_nothing(units: list[int], threshold: int, sharing: bool) -> None:
    ids = ["C1", "C2", "C3", "C4", "E1", "S1"]
    rule = "[cost_sharing]\ncost = 5000\n" if sharing else UNIT
    body = rule + f'[[exemptions]]\nkinds = ["commune"]\npopulation_below = {threshold}\n'
    body += "[limits]\nfloor = 10\n"
    result = run(body, dict(zip(ids, units, strict=True)))
    for row in result.lines.iter_rows(named=True):
        if row["exemption"]:
            assert row["amount_cents"] == 0
