"""Readings that look like typing mistakes: ten times the previous one or more, or a tenth of
it or less (« 12,5 » typed as 125 is exactly ten times).

The form asks the person to confirm such a reading; the import records it and lists it in its
report. The previous reading is the member's latest one for the same service and the same kind
of period (a month is compared with a month, a year with a year) before the new one.
"""

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from mutualis.metering.models import UsageRecord

UNUSUAL_RATIO = 10

# member id, service id, period kind, year, first month
ReadingKey = tuple[int, int, str, int, int]


def is_unusual(previous: Decimal | None, quantity: Decimal) -> bool:
    """Ten times a previous non-zero reading or more, or a tenth of it or less."""
    if previous is None or previous <= 0:
        return False
    return quantity >= previous * UNUSUAL_RATIO or quantity * UNUSUAL_RATIO <= previous


def previous_quantities(keys: Iterable[ReadingKey]) -> dict[ReadingKey, Decimal]:
    """For each reading, the quantity of the reading before it (absent when there is none),
    in one query whatever the number of readings."""
    keys = list(keys)
    if not keys:
        return {}
    history: dict[tuple[int, int, str], list[tuple[tuple[int, int], Decimal]]] = defaultdict(list)
    records = UsageRecord.objects.filter(
        member_id__in={k[0] for k in keys},
        service_id__in={k[1] for k in keys},
        year__lte=max(k[3] for k in keys),
    ).order_by("year", "month")
    for member_id, service_id, period, year, month, quantity in records.values_list(
        "member_id", "service_id", "period", "year", "month", "quantity"
    ):
        history[(member_id, service_id, period)].append(((year, month), quantity))
    previous: dict[ReadingKey, Decimal] = {}
    for key in keys:
        member_id, service_id, period, year, month = key
        readings = history.get((member_id, service_id, period), [])
        position = bisect_left(readings, (year, month), key=lambda reading: reading[0])
        if position:
            previous[key] = readings[position - 1][1]
    return previous


def unusual_previous(
    *, member_id: int, service_id: int, period: str, year: int, month: int, quantity: Decimal
) -> Decimal | None:
    """The previous quantity when `quantity` looks like a mistake against it, else None."""
    key = (member_id, service_id, period, year, month)
    previous = previous_quantities([key]).get(key)
    return previous if is_unusual(previous, quantity) else None
