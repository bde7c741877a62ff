"""Recurring work of the surveys (run by `mutualis schedule run`)."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from mutualis.core.schedule import recurring
from mutualis.surveys.services import reminders_due


@recurring(
    "surveys-reminders",
    every=dt.timedelta(days=1),
    label=_("Relance des membres qui n'ont pas répondu aux enquêtes ouvertes"),
)
def reminders(now: dt.datetime) -> str:
    mailings = reminders_due(now=now)
    members = sum(len(m.member_ids) for m in mailings)
    return f"{len(mailings)} relance(s) mise(s) en file pour {members} membre(s)"
