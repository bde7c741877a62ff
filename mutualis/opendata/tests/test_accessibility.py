"""RGAA / WCAG 2.1 AA: axe-core over the public open-data page."""

import pytest

from mutualis.core.tests.browser import check_accessibility
from mutualis.iot.models import Quantity, SensorKind
from mutualis.iot.tests.factories import make_sensor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_open_data_page(new_context):
    make_sensor(
        name="Place de la mairie, air",
        kind=SensorKind.AIR_QUALITY,
        quantities=(Quantity.CO2,),
        open_data=True,
    )
    check_accessibility(new_context().new_page(), "/donnees-ouvertes/")
