"""Writes of the élus' view: the references of the savings."""

from decimal import Decimal

from django.db import transaction

from mutualis.insights.models import SavingsReference


@transaction.atomic
def savings_reference_update(*, staff_day_cost: Decimal, staff_day_cost_source: str):
    reference, _created = SavingsReference.objects.select_for_update().get_or_create(
        pk=SavingsReference.SINGLETON_PK
    )
    reference.staff_day_cost_cents = int((staff_day_cost * 100).to_integral_value())
    reference.staff_day_cost_source = staff_day_cost_source.strip()
    reference.full_clean()
    reference.save()
    return reference
