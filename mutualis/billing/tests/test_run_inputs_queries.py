"""The engine's inputs come from the database in a constant number of queries."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mutualis.billing.inputs import build_frames
from mutualis.billing.tests.conftest import add_usage, make_communes
from mutualis.catalog.models import SubscriptionScope
from mutualis.catalog.tests.factories import SubscriptionFactory
from mutualis.members.tests.factories import EstablishmentFactory


def _queries(world):
    ids = [world["ent"].pk, world["certificats"].pk]
    with CaptureQueriesContext(connection) as captured:
        frames = build_frames(year=2026, service_ids=ids)
    return len(captured), frames


def test_input_queries_do_not_grow_with_data(world):
    small, _frames = _queries(world)
    more = make_communes(world["epci"], [100 * i for i in range(1, 30)])
    for member in more:
        SubscriptionFactory(member=member, service=world["ent"], start_date=dt.date(2025, 1, 1))
    add_usage(more, world["ent"], [str(i) for i in range(1, 30)])
    school = EstablishmentFactory(parent=more[0])
    subscription = SubscriptionFactory(
        member=world["epci"],
        service=world["certificats"],
        scope=SubscriptionScope.WITH_ESTABLISHMENTS,
        start_date=dt.date(2025, 1, 1),
    )
    subscription.covered_establishments.add(school)
    large, frames = _queries(world)
    assert small == large
    assert frames.usage.height == 6 + 29
    epci_row = frames.subscriptions.filter(frames.subscriptions["scope"] == "with_establishments")
    assert epci_row["establishments"].to_list() == [[str(school.pk)]]


def test_communes_point_to_their_epci_member(world):
    _count, frames = _queries(world)
    rows = {row["id"]: row for row in frames.members.to_dicts()}
    commune = world["communes"][0]
    assert rows[str(commune.pk)]["epci_id"] == str(world["epci"].pk)
    assert rows[str(world["epci"].pk)]["epci_id"] is None
