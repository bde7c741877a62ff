"""The API lists readings newest first from an index, never by sorting the whole table.

At 1.1 M readings the sort cost 847 ms a page; ``usage_newest_first`` (models.py) holds the
rows in the order of the API (-year, -month, pk), so the first page is read from its start.
"""

from types import SimpleNamespace

from django.db import connection

from mutualis.metering.api import UsageRecordViewSet
from mutualis.metering.models import UsageRecord


def first_page(user):
    view = UsageRecordViewSet()
    view.request = SimpleNamespace(user=user)
    return view.get_queryset()[:100]


def test_the_api_orders_readings_as_the_index_does(accountant):
    index = next(i for i in UsageRecord._meta.indexes if i.name == "usage_newest_first")
    order = list(first_page(accountant).query.order_by)
    assert [f.replace("pk", "id") for f in order] == index.fields


def test_the_first_page_reads_the_index_instead_of_sorting(accountant, usage_world):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # The test table is tiny: a sort would be cheaper. Forbid it to see if the
            # ordering can come from an index (SET LOCAL ends with the test's transaction).
            cursor.execute("SET LOCAL enable_sort = off")
    plan = first_page(accountant).explain()
    if connection.vendor == "sqlite":
        assert "USING INDEX usage_newest_first" in plan, plan
        assert "TEMP B-TREE FOR ORDER BY" not in plan, plan
    else:
        assert "usage_newest_first" in plan, plan
        assert "Sort" not in plan, plan
