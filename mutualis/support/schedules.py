"""Recurring work of the support (run by `mutualis schedule run`, core/schedule.py): the GLPI
synchronisation every hour, queued as a background job, once GLPI's address and token are set."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mutualis.core.schedule import recurring
from mutualis.support import services
from mutualis.support.models import SyncTrigger, glpi_connection


@recurring("support-glpi-sync", every=dt.timedelta(hours=1), label=_("Synchronisation GLPI"))
def glpi_sync(now: dt.datetime) -> str:
    if not glpi_connection().is_configured:
        return "GLPI n'est pas connecté : rien à faire"
    try:
        job = services.sync_request(trigger=SyncTrigger.SCHEDULE)
    except ValidationError as error:
        return " ".join(error.messages)
    return f"synchronisation n° {job.pk} mise en file"
