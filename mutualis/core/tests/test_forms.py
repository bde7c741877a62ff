"""The form fields that read numbers and dates typed by people (mutualis.core.forms)."""

import datetime as dt
from decimal import Decimal

import pytest
from django import forms

from mutualis.core.forms import DateField, DecimalField, IntegerField, ModelForm
from mutualis.metering.models import UsageRecord


class ReadingForm(forms.Form):
    quantity = DecimalField(max_digits=15, decimal_places=3, min_value=0)
    price = DecimalField(max_digits=12, decimal_places=4, required=False)
    year = IntegerField(min_value=2000, max_value=2100, required=False)
    day = DateField(required=False)


def _errors(data: dict) -> dict:
    form = ReadingForm(data)
    assert not form.is_valid()
    return form.errors


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("12,5", Decimal("12.5")),
        ("12.5", Decimal("12.5")),
        ("1 234,56", Decimal("1234.56")),
        ("1\u202f234,56", Decimal("1234.56")),
        (" 7 ", Decimal(7)),
    ],
)
def test_a_decimal_comma_is_read_as_a_decimal_comma(typed, read):
    form = ReadingForm({"quantity": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["quantity"] == read


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("99999999999999999999", "dépasse la plus grande valeur possible"),
        ("1e999999", "n'est pas un nombre"),
        ("NaN", "n'est pas un nombre"),
        ("12,5,3", "n'est pas un nombre"),
        ("1.234,5", "mêle virgule et point"),
        ("0,0001", "3 décimales au plus"),
        ("-1", "ne peut pas être négative"),
    ],
)
def test_what_does_not_fit_is_refused_with_the_readers_sentence(typed, words):
    assert words in _errors({"quantity": typed})["quantity"][0]


def test_an_empty_value_is_required_or_none():
    assert _errors({"quantity": ""})["quantity"] == ["Ce champ est obligatoire."]
    form = ReadingForm({"quantity": "1", "price": ""})
    assert form.is_valid()
    assert form.cleaned_data["price"] is None


def test_integers_and_their_bounds():
    form = ReadingForm({"quantity": "1", "year": "2 026"})
    assert form.is_valid()
    assert form.cleaned_data["year"] == 2026
    assert "nombre entier" in _errors({"quantity": "1", "year": "2026,5"})["year"][0]
    assert "2100 au plus" in _errors({"quantity": "1", "year": "2101"})["year"][0]


@pytest.mark.parametrize(
    ("typed", "read"),
    [("2026-01-31", dt.date(2026, 1, 31)), ("31/01/2026", dt.date(2026, 1, 31))],
)
def test_dates_from_the_picker_or_typed(typed, read):
    form = ReadingForm({"quantity": "1", "day": typed})
    assert form.is_valid()
    assert form.cleaned_data["day"] == read


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("20266-01-01", "n'est pas une date"),
        ("0202-01-01", "entre 1900 et 2100"),
        ("31/02/2026", "n'est pas une date"),
    ],
)
def test_dates_outside_1900_2100_are_refused(typed, words):
    assert words in _errors({"quantity": "1", "day": typed})["day"][0]


def test_numbers_are_typed_in_text_inputs_never_number_inputs():
    html = ReadingForm().as_div()
    assert 'type="number"' not in html
    assert 'name="quantity" inputmode="decimal"' in html.replace('type="text" ', "")
    assert 'inputmode="numeric"' in html
    assert 'type="date"' in html
    assert 'min="1900-01-01"' in html
    assert 'max="2100-12-31"' in html


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        (Decimal("12.500"), "12,5"),
        (Decimal("0.9000"), "0,9"),
        (Decimal("1234.560"), "1234,56"),
        (Decimal("100.000"), "100"),
    ],
)
def test_a_stored_number_is_shown_the_french_way(stored, shown):
    html = str(ReadingForm(initial={"quantity": stored})["quantity"])
    assert f'value="{shown}"' in html


def test_what_was_typed_is_shown_again_as_typed():
    form = ReadingForm({"quantity": "1 234,5", "year": "3000"})
    assert not form.is_valid()
    assert 'value="1 234,5"' in str(form["quantity"])


def test_an_unchanged_value_is_not_a_change():
    form = ReadingForm({"quantity": "12,5"}, initial={"quantity": Decimal("12.500")})
    assert "quantity" not in form.changed_data


class UsageRecordForm(ModelForm):
    class Meta:
        model = UsageRecord
        fields = ["period", "year", "month", "quantity"]


def test_a_model_form_gets_the_french_fields_bounded_like_the_model():
    form = UsageRecordForm()
    assert isinstance(form.fields["quantity"], DecimalField)
    assert isinstance(form.fields["month"], IntegerField)
    assert isinstance(form.fields["period"], forms.ChoiceField)  # choices stay choices
    refused = UsageRecordForm({"period": "month", "year": "2026", "month": "13", "quantity": "-1"})
    assert not refused.is_valid()
    assert "12 au plus" in refused.errors["month"][0]
    assert "ne peut pas être négative" in refused.errors["quantity"][0]
    edited = UsageRecordForm(instance=UsageRecord(quantity=Decimal("12.500"), month=3))
    assert 'value="12,5"' in str(edited["quantity"])


def test_a_model_form_subclass_keeps_the_french_fields():
    class Narrower(UsageRecordForm):
        class Meta(UsageRecordForm.Meta):
            fields = ["quantity"]

    assert isinstance(Narrower().fields["quantity"], DecimalField)
