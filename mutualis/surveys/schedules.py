"""Recurring work of the surveys (run by `mutualis schedule run`, core/schedule.py, once the
branch meets it): the daily reminder of the open surveys. Until then, or without the
scheduler, `manage.py survey_reminders` does the same from cron."""

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
