"""Signals shared by the apps.

`bulk_written`: a service that writes many rows in one statement (COPY, a multi-row INSERT)
sends it once, with the object the rows belong to: the audit trail records one event for it
instead of a copy per row. Arguments: `sender` (the model of the rows), `parent` (the run, the
import job…), `action` (French, for people), `count`, and optional `detail` (a JSON dict).
"""

from django.dispatch import Signal

bulk_written = Signal()
