"""Recurring work of the sensors' platform (run by `mutualis schedule run`)."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from mutualis.core.schedule import recurring
from mutualis.iot.storage import storage_maintain


@recurring(
    "iot-storage",
    every=dt.timedelta(days=1),
    label=_("Partitions des mois à venir et conservation des valeurs brutes"),
)
def storage(now: dt.datetime) -> str:
    report = storage_maintain(now=now)
    return f"{len(report.created)} partition(s) créée(s), {len(report.dropped)} supprimée(s)"
