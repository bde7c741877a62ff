"""The simulation chart's SVG geometry is written with decimal points, whatever the locale."""

import re

from mutualis.billing.models import Tariff
from mutualis.billing.tests.test_simulation import SOLIDARITY

NUMERIC_ATTRIBUTES = ("x", "y", "x1", "x2", "y1", "y2", "width", "height", "viewBox")


def test_svg_numeric_attributes_have_no_decimal_comma(client, accountant, world):
    client.force_login(accountant)
    candidate = Tariff.objects.create(service=world["ent"], year=2026, version=2, text=SOLIDARITY)
    page = client.get(
        f"/operateur/facturation/simulation/?candidate={candidate.pk}&base={world['tariffs'][0].pk}"
    )
    svg = re.search(r"<svg.*?</svg>", page.content.decode(), re.DOTALL).group(0)
    values = re.findall(rf'\s(?:{"|".join(NUMERIC_ATTRIBUTES)})="([^"]*)"', svg)
    assert len(values) > 10
    assert all(re.fullmatch(r"[-\d. ]+%?", value) for value in values), values
    assert 'x1="430.0"' in svg  # the zero line, a float
