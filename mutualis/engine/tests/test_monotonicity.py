"""More units never cost less under the same tariff (unit, graduated tiers, grid, quota)."""

from hypothesis import given
from hypothesis import strategies as st

from mutualis.engine import Subscription
from mutualis.engine.tests.helpers import run
from mutualis.engine.tests.profiles import examples


def amount(body: str, qty: int) -> int:
    quantities = {"C2": f"{qty / 1000:.3f}"}
    return run(body, quantities, subscriptions=[Subscription("C2", "svc")]).amounts()["C2"]


prices = st.integers(0, 10**7).map(lambda p: f"{p / 10**6:.6f}")


@st.composite
def tariffs(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["unit", "graduated", "volume", "grid", "quota"]))
    if kind == "unit":
        return f'[[components]]\ntype = "unit_price"\nprice = "{draw(prices)}"\n'
    if kind in {"graduated", "volume"}:
        uppers = sorted(draw(st.sets(st.integers(1, 10**4), min_size=1, max_size=3)))
        cents = draw(
            st.lists(st.integers(0, 10**5), min_size=len(uppers) + 1, max_size=len(uppers) + 1)
        )
        if kind == "volume":
            cents.sort()  # decreasing volume prices make a cliff by design
        bands = [
            f'{{ upto = {u}, price = "{c / 100:.2f}" }}'
            for u, c in zip(uppers, cents, strict=False)
        ]
        bands.append(f'{{ price = "{cents[-1] / 100:.2f}" }}')
        return f'[[components]]\ntype = "tiers"\nmode = "{kind}"\nbands = [{", ".join(bands)}]\n'
    if kind == "grid":
        bounds = sorted(draw(st.sets(st.integers(1, 10**4), min_size=1, max_size=4)))
        table = sorted(
            draw(
                st.lists(st.integers(0, 10**6), min_size=len(bounds) + 1, max_size=len(bounds) + 1)
            )
        )
        return (
            f'[[components]]\ntype = "grid"\nmeasures = ["quantity"]\n'
            f"bounds = [[0, {', '.join(map(str, bounds))}]]\n"
            f"table = [{', '.join(f'{c / 100:.2f}' for c in table)}]\n"
        )
    included = draw(st.integers(0, 1000))
    return (
        f'[[components]]\ntype = "quota"\nincluded = {included}\nfee = 12\n'
        f'price = "{draw(prices)}"\n'
    )


@examples(60)
@given(body=tariffs(), qty=st.integers(0, 10**7), more=st.integers(0, 10**7))
def test_more_units_never_cost_less(body: str, qty: int, more: int) -> None:
    assert amount(body, qty + more) >= amount(body, qty)
