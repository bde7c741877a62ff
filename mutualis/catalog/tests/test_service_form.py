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


def test_code_and_unit_are_locked_once_members_subscribe():
    from mutualis.catalog.tests.factories import SubscriptionFactory

    service = SubscriptionFactory().service
    form = ServiceForm(
        {
            "code": "autre-code",
            "name": service.name,
            "category": service.category,
            "unit": "flat",
            "usage_kind": "flow",
            "yearly_reading": "sum",
            "status": "offered",
        },
        instance=service,
    )
    assert form.is_valid(), form.errors
    saved = form.save()
    assert (saved.code, saved.unit) == (service.code, "gb")
