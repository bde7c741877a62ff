"""Shared form pieces: the fields that read numbers and dates typed by people, the base
ModelForm that uses them, and helpers.

Numbers are typed in text inputs, never the browser's number input: it drops a decimal comma
(« 12,5 » arrived as 125) and refuses « 1 234,56 ». The fields below read what was typed with
the one reader of mutualis.core.numbers, bounded by what the field holds, and show its French
sentence as the field's error.
"""

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core import validators
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from mutualis.core.numbers import (
    MAX_YEAR,
    MIN_YEAR,
    DecimalBounds,
    InputError,
    input_text,
    parse_date,
    parse_decimal,
    parse_integer,
)


class DecimalInput(forms.TextInput):
    """A text input that brings up the keyboard with digits and the comma on phones."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", **(attrs or {})})


class IntegerInput(forms.TextInput):
    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", **(attrs or {})})


class DateInput(forms.DateInput):
    """The browser's date picker; its value is ISO (2026-01-31) whatever the locale."""

    input_type = "date"

    def __init__(self, attrs=None):
        limits = {"min": f"{MIN_YEAR:04d}-01-01", "max": f"{MAX_YEAR:04d}-12-31"}
        super().__init__(attrs={**limits, **(attrs or {})}, format="%Y-%m-%d")


class DecimalField(forms.Field):
    """A number with `decimal_places` decimals and `max_digits` digits in all, like the model
    field it fills: « 12,5 », « 12.5 », « 1 234,56 » are read; what does not fit is refused
    with the reader's sentence. A stored value is shown the French way (12.500 → « 12,5 »)."""

    widget = DecimalInput

    def __init__(
        self,
        *,
        max_digits: int,
        decimal_places: int,
        min_value: Decimal | int | None = None,
        max_value: Decimal | int | None = None,
        **kwargs: Any,
    ):
        self.bounds = DecimalBounds(
            max_digits,
            decimal_places,
            None if min_value is None else Decimal(min_value),
            None if max_value is None else Decimal(max_value),
        )
        kwargs.pop("localize", None)  # always read and shown the French way
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        try:
            return parse_decimal(value, self.bounds, required=False)
        except InputError as refused:
            raise ValidationError(refused.message, code="invalid") from refused

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return input_text(value)
        return value


class IntegerField(forms.Field):
    """A whole number (« 2026 », « 1 234 »), within `min_value` and `max_value`."""

    widget = IntegerInput

    def __init__(
        self,
        *,
        min_value: int | None = None,
        max_value: int | None = None,
        max_digits: int = 18,
        **kwargs: Any,
    ):
        self.min_value, self.max_value, self.max_digits = min_value, max_value, max_digits
        kwargs.pop("localize", None)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        try:
            return parse_integer(
                value,
                min_value=self.min_value,
                max_value=self.max_value,
                max_digits=self.max_digits,
                required=False,
            )
        except InputError as refused:
            raise ValidationError(refused.message, code="invalid") from refused


class DateField(forms.DateField):
    """A date between 1900 and 2100, from the date picker (2026-01-31) or typed
    (31/01/2026): a year of five digits or of the Middle Ages is a typing mistake."""

    widget = DateInput

    def to_python(self, value: Any):
        try:
            return parse_date(value, required=False)
        except InputError as refused:
            raise ValidationError(refused.message, code="invalid") from refused


def _limits(db_field: models.Field) -> dict[str, Any]:
    """min_value and max_value from a model field's validators (its own and its column's)."""
    lows = [
        v.limit_value
        for v in db_field.validators
        if isinstance(v, validators.MinValueValidator) and not callable(v.limit_value)
    ]
    highs = [
        v.limit_value
        for v in db_field.validators
        if isinstance(v, validators.MaxValueValidator) and not callable(v.limit_value)
    ]
    return ({"min_value": max(lows)} if lows else {}) | ({"max_value": min(highs)} if highs else {})


def model_formfield(db_field: models.Field, **kwargs: Any) -> forms.Field | None:
    """The form field of a model field: the fields above for numbers and dates (a field with
    choices stays a choice), Django's own for the rest."""
    if isinstance(db_field, models.DecimalField):
        return db_field.formfield(**{"form_class": DecimalField, **_limits(db_field), **kwargs})
    if isinstance(db_field, models.IntegerField):  # an AutoField has no form field: None
        return db_field.formfield(**{"form_class": IntegerField, **_limits(db_field), **kwargs})
    if isinstance(db_field, models.DateField) and not isinstance(db_field, models.DateTimeField):
        return db_field.formfield(**{"form_class": DateField, **kwargs})
    return db_field.formfield(**kwargs)


class _ModelFormMetaclass(forms.models.ModelFormMetaclass):
    def __new__(mcs, name, bases, attrs):
        meta = attrs.get("Meta")
        if meta is not None and getattr(meta, "formfield_callback", None) is None:
            meta.formfield_callback = staticmethod(model_formfield)
        return super().__new__(mcs, name, bases, attrs)


class SearchableSelect(forms.Select):
    """A select of many options (an operator's 600 members): the browser turns it into a
    search field (static/js/searchable-select.js); without JavaScript it stays a select."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({"data-searchable": "", **(attrs or {})}, choices)


class SearchableModelChoiceField(forms.ModelChoiceField):
    """A choice among many objects, searchable by typing part of the name."""

    widget = SearchableSelect


class ModelForm(forms.ModelForm, metaclass=_ModelFormMetaclass):
    """The project's ModelForm: numbers and dates of the model get the fields above."""


def validate_document_size(document) -> None:
    """An uploaded document (délibération, convention) weighs at most DOCUMENT_MAX_MB."""
    limit = settings.DOCUMENT_MAX_MB
    if document.size > limit * 1024 * 1024:
        raise ValidationError(
            _("Ce document pèse plus de %(max)s Mo : envoyez une version plus légère."),
            code="file_too_large",
            params={"max": limit},
        )


def add_validation_error(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class LoginForm(AuthenticationForm):
    """Django's login form, in the words of the login page; agents log in with their email."""

    username = forms.CharField(label=_("Identifiant ou adresse électronique"), max_length=254)
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Identifiant ou mot de passe incorrect."),
    }

    def clean_username(self):
        """An identifier, or an email address: an invited agent's identifier is its address
        (in lower case); staff log in with either their identifier or their address."""
        username = self.cleaned_data["username"].strip()
        if "@" not in username:
            return username
        username = username.lower()
        owners = list(
            get_user_model()
            .objects.filter(email__iexact=username)
            .values_list("username", flat=True)[:2]
        )
        return owners[0] if len(owners) == 1 else username
