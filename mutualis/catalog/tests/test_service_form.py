import pytest

from mutualis.catalog.forms import ServiceForm

pytestmark = pytest.mark.django_db


def test_a_stock_is_not_summed_over_the_year():
    data = {
        "code": "ent",
        "name": "ENT",
        "category": "education",
        "unit": "pupil",
        "usage_kind": "stock",
        "yearly_reading": "sum",
        "status": "offered",
    }
    form = ServiceForm(data)
    assert not form.is_valid()
    assert "yearly_reading" in form.errors
    assert ServiceForm({**data, "yearly_reading": "last"}).is_valid()
