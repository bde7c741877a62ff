"""A frame of charge lines written set-based (CSV through COPY on PostgreSQL, batched
inserts elsewhere) is read back to the word: quotes, commas, line breaks, a literal \\N, an
empty text and a null issuer all survive."""

from decimal import Decimal

import polars as pl
import pytest
from django.db import transaction

from mutualis.billing.bulk import insert_frame
from mutualis.billing.models import AllocationRun, ChargeLine
from mutualis.catalog.tests.factories import ServiceFactory
from mutualis.members.tests.factories import MemberFactory

TEXTS = [
    'forfait « ENT » = 1\u202f550,00\xa0€ ; "cité", avec virgule',
    "deux lignes\nd'explication",
    "\\N",
    "",
]


@pytest.mark.django_db(transaction=True)
def test_a_frame_of_lines_is_stored_to_the_word():
    run = AllocationRun.objects.create(year=2026)
    service = ServiceFactory()
    member, epci = MemberFactory(), MemberFactory()
    frame = pl.DataFrame(
        {
            "run": [run.pk] * 4,
            "service": [service.pk] * 4,
            "member": [member.pk] * 4,
            "payer": [member.pk] * 4,
            "issuer": [None, epci.pk, None, None],
            "rule": ["tarif"] * 4,
            "quantity": ["1234.250", "-0.500", "7.000", "0.000"],
            "amount_cents": [155000, -50, 0, 12],
            "explanation": TEXTS,
        },
        schema_overrides={"issuer": pl.Int64},
    )
    with transaction.atomic():
        assert insert_frame(ChargeLine, frame) == 4
    stored = list(
        ChargeLine.objects.filter(run=run)
        .order_by("pk")
        .values_list("issuer_id", "quantity", "amount_cents", "explanation")
    )
    assert stored == [
        (None, Decimal("1234.250"), 155000, TEXTS[0]),
        (epci.pk, Decimal("-0.500"), -50, TEXTS[1]),
        (None, Decimal("7.000"), 0, TEXTS[2]),
        (None, Decimal("0.000"), 12, TEXTS[3]),
    ]
