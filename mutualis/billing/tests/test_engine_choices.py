"""The Django choices that reach the engine agree with the engine's enums, both directions.

A member kind, a subscription scope, a re-billing key, a usage kind or a yearly reading added on
one side and not on the other would be refused by the engine at run time (or never offered in
the forms): this test fails first.
"""

import pytest

from mutualis.catalog.models import (
    OwnRebillKey,
    RebillKey,
    SubscriptionScope,
    UsageKind,
    YearlyReading,
)
from mutualis.engine import model as engine
from mutualis.engine.tariff import UsageMode, YearReading
from mutualis.members.models import MemberKind

PAIRS = [
    (MemberKind, engine.MemberKind),
    (SubscriptionScope, engine.Scope),
    (RebillKey, engine.RebillKey),
    (OwnRebillKey, engine.OWN_REBILL_KEYS),
    (UsageKind, UsageMode),
    (YearlyReading, YearReading),
]


@pytest.mark.parametrize(
    ("django", "engine_values"), PAIRS, ids=lambda p: getattr(p, "__name__", "")
)
def test_django_choices_are_the_engine_values(django, engine_values):
    django_values = {str(value) for value in django.values}
    known = {str(value) for value in engine_values}
    assert django_values - known == set(), "a Django choice the engine does not know"
    assert known - django_values == set(), "an engine value no Django choice offers"


def test_every_member_kind_has_an_engine_label():
    assert set(engine.KIND_LABELS) == {str(k) for k in MemberKind.values}
