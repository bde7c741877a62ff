from decimal import Decimal

import pytest

from mutualis.engine import UsageRecord, allocate, parse_tariff, usage
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


@pytest.mark.parametrize(
    ("reading", "cents"),
    [("last", 4500), ("max", 4500), ("sum", 7500), ("mean", 2500)],
)
def test_keys_numbered_first_when_far_more_keys_than_rows(
    reading: str, cents: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With many more possible (service, member) keys than rows, the keys present are
    numbered first (a sort) instead of indexing arrays by the key: same readings."""
    monkeypatch.setattr(usage, "DENSE_SLACK", -(10**9))
    assert year_of(reading) == {"C2": cents}


def test_several_services_and_members_read_each_their_own_year() -> None:
    records = [
        UsageRecord(member, service, 2026, month, Decimal(q))
        for member, service, month, q in [
            ("C1", "nas", 3, "7"),
            ("C1", "nas", 9, "2"),
            ("C2", "nas", 9, "1"),
            ("C2", "nas", 9, "4"),
            ("C1", "ent", 1, "5"),
            ("C2", "ent", 12, "3"),
        ]
    ]
    tariffs = {
        service: parse_tariff(
            f'service = "{service}"\nyear = 2026\n[usage]\nmode = "stock"\nyear = "{reading}"\n'
            '[[components]]\ntype = "unit_price"\nprice = 1\n'
        )
        for service, reading in [("nas", "last"), ("ent", "max")]
    }
    nas = allocate(tariffs["nas"], territory(), None, records).amounts()
    ent = allocate(tariffs["ent"], territory(), None, records).amounts()
    assert nas == {"C1": 200, "C2": 500}
    assert ent == {"C1": 500, "C2": 300}
