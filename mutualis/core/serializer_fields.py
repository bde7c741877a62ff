"""API fields that read numbers and dates with the one reader (mutualis.core.numbers).

Every ModelSerializer gets them for the model's DecimalField and DateField (see
CoreConfig.ready): a program may send 12.5 (a JSON number) or "12.5", and a person's
spreadsheet macro "12,5" or "1 234,56"; what does not fit the field (1e999999, NaN, too many
digits or decimals, a date outside 1900–2100) is refused with the same French sentence as in
the forms. What the API returns is unchanged ("12.500", "2026-01-31").
"""

from decimal import Decimal
from typing import Any

from django.http import Http404
from rest_framework import serializers

from mutualis.core.numbers import DecimalBounds, InputError, parse_date, parse_decimal


class DecimalField(serializers.DecimalField):
    def to_internal_value(self, data: Any):
        bounds = DecimalBounds(
            self.max_digits,
            self.decimal_places,
            None if self.min_value is None else Decimal(self.min_value),
            None if self.max_value is None else Decimal(self.max_value),
        )
        try:
            return parse_decimal(data, bounds)
        except InputError as refused:
            raise serializers.ValidationError(refused.message, code="invalid") from refused


class DateField(serializers.DateField):
    def to_internal_value(self, value: Any):
        try:
            return parse_date(value)
        except InputError as refused:
            raise serializers.ValidationError(refused.message, code="invalid") from refused


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference to a member's object (a member, a lot, a sensor…), read among the objects
    the user may see.

    Every ModelSerializer uses it for its foreign keys (see CoreConfig.ready). A model whose
    manager has `visible_to` is looked up among the caller's objects, and an id that is not
    there is « not found » (404) whether it does not exist or belongs to another member: the
    answer tells nothing of other members' ids. References to shared objects (a catalogue
    service, a technician) keep DRF's 400 for an unknown id.
    """

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        if request is not None and hasattr(queryset, "visible_to"):
            queryset = queryset.visible_to(request.user)
        return queryset

    def to_internal_value(self, data: Any):
        queryset = super().get_queryset()
        if not hasattr(queryset, "visible_to"):
            return super().to_internal_value(data)
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as refused:
            if refused.get_codes() == ["does_not_exist"]:
                raise Http404 from refused
            raise
