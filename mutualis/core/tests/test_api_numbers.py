"""The API reads numbers and dates with the one reader, like the forms and the imports."""

import importlib
import pkgutil
from decimal import Decimal
from pathlib import Path

import pytest
from rest_framework import serializers

import mutualis
from mutualis.core import serializer_fields

PACKAGE = Path(mutualis.__file__).parent


def _project_serializers() -> list[type[serializers.BaseSerializer]]:
    for module in pkgutil.walk_packages([str(PACKAGE)], prefix="mutualis."):
        if module.name.rsplit(".", 1)[-1].startswith("api") or ".api." in module.name:
            importlib.import_module(module.name)
    found, pending = [], [serializers.Serializer]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            pending.append(sub)
            # A base of model serializers, without a model of its own, is not walked.
            abstract = issubclass(sub, serializers.ModelSerializer) and not hasattr(sub, "Meta")
            ours = sub.__module__.startswith("mutualis.") and ".tests." not in sub.__module__
            if ours and not abstract:
                found.append(sub)
    return found


SERIALIZERS = _project_serializers()


def test_the_walk_finds_the_serializers_with_numbers():
    names = {cls.__name__ for cls in SERIALIZERS}
    assert {"UsageRecordSerializer", "OfferSerializer", "NeedSerializer"} <= names


@pytest.mark.parametrize("serializer_class", SERIALIZERS, ids=lambda cls: cls.__qualname__)
def test_every_number_and_date_of_every_serializer_uses_the_reader(serializer_class):
    for name, field in serializer_class().fields.items():
        if isinstance(field, serializers.DecimalField):
            assert isinstance(field, serializer_fields.DecimalField), name
        if isinstance(field, serializers.DateField):
            assert isinstance(field, serializer_fields.DateField), name


QUANTITY = serializer_fields.DecimalField(max_digits=15, decimal_places=3, min_value=0)


@pytest.mark.parametrize(
    ("sent", "read"),
    [
        (12.5, Decimal("12.5")),
        (12, Decimal(12)),
        ("12.5", Decimal("12.5")),
        ("12,5", Decimal("12.5")),
        ("1 234,56", Decimal("1234.56")),
    ],
)
def test_numbers_as_programs_and_people_write_them(sent, read):
    assert QUANTITY.run_validation(sent) == read


@pytest.mark.parametrize(
    ("sent", "words"),
    [
        ("99999999999999999999", "dépasse la plus grande valeur possible"),
        ("1e999999", "n'est pas un nombre"),
        (float("inf"), "n'est pas un nombre"),
        ("NaN", "n'est pas un nombre"),
        ("0,0001", "3 décimales au plus"),
        (-1, "ne peut pas être négative"),
        (True, "n'est pas un nombre"),
        ("", "Valeur obligatoire"),
    ],
)
def test_what_does_not_fit_is_refused_in_french(sent, words):
    with pytest.raises(serializers.ValidationError) as refused:
        QUANTITY.run_validation(sent)
    assert words in str(refused.value.detail[0])


def test_dates_between_1900_and_2100():
    field = serializer_fields.DateField()
    assert str(field.run_validation("2026-01-31")) == "2026-01-31"
    assert str(field.run_validation("31/01/2026")) == "2026-01-31"
    for sent in ("20266-01-01", "1850-01-01"):
        with pytest.raises(serializers.ValidationError):
            field.run_validation(sent)
