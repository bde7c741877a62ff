from decimal import Decimal

import pytest

from mutualis.engine import UsageRecord, allocate, parse_tariff
from mutualis.engine.tests.helpers import territory


def year_of(reading: str, mode: str = "stock") -> dict[str, int]:
    tariff = parse_tariff(
        f'service = "nas"\nyear = 2026\n[usage]\nmode = "{mode}"\nyear = "{reading}"\n'
        '[[components]]\ntype = "unit_price"\nprice = 1\n'
    )
    records = [
        UsageRecord("C2", "nas", 2026, 1, Decimal("10")),
        UsageRecord("C2", "nas", 2026, 6, Decimal("40")),
        UsageRecord("C2", "nas", 2026, 6, Decimal("5")),  # a second NAS the same month
        UsageRecord("C2", "nas", 2026, 3, Decimal("20.001")),
        UsageRecord("C2", "nas", 2025, 12, Decimal("999")),  # other year
        UsageRecord("C2", "other", 2026, 12, Decimal("999")),  # other service
    ]
    return allocate(tariff, territory(), None, records).amounts()


@pytest.mark.parametrize(
    ("reading", "cents"),
    [("last", 4500), ("max", 4500), ("sum", 7500), ("mean", 2500)],
)
def test_reading_a_year_of_stock(reading: str, cents: int) -> None:
    assert year_of(reading) == {"C2": cents}


def test_flow_units_default_to_the_sum() -> None:
    tariff = parse_tariff(
        'service = "x"\nyear = 2026\n[usage]\nmode = "flow"\n'
        '[[components]]\ntype = "flat"\namount = 1\n'
    )
    assert tariff.reading.value == "sum"
