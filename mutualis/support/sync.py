"""A synchronisation with GLPI: the tickets modified since the last one, page by page, each
saved once (a ticket read again is updated), their entities mapped to members."""

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.core.jobs import JobFailure
from mutualis.support import services
from mutualis.support.glpi import GlpiClient, GlpiError
from mutualis.support.models import (
    GlpiConnection,
    SupportEntity,
    SupportSync,
    TicketSource,
    TicketStatus,
    glpi_connection,
)

logger = logging.getLogger(__name__)

GLPI_STATUSES = {
    1: TicketStatus.NEW,
    2: TicketStatus.ASSIGNED,
    3: TicketStatus.PLANNED,
    4: TicketStatus.WAITING,
    5: TicketStatus.SOLVED,
    6: TicketStatus.CLOSED,
}
GLPI_DATE = "%Y-%m-%d %H:%M:%S"
# Tickets modified within this margin before the last one read are read again: GLPI's
# « morethan » is strict and dates have whole seconds. Reading again is harmless.
OVERLAP = dt.timedelta(minutes=5)


def glpi_datetime(value: Any) -> dt.datetime | None:
    """GLPI's « 2026-03-04 09:12:00 », in the time zone of the server (the project's)."""
    if not value or not isinstance(value, str):
        return None
    try:
        naive = dt.datetime.strptime(value.strip()[:19], GLPI_DATE)
    except ValueError:
        try:
            naive = dt.datetime.strptime(value.strip()[:16], "%Y-%m-%d %H:%M")
        except ValueError:
            return None
    return timezone.make_aware(naive)


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or value in (None, ""):
        return None
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def _seconds(value: Any) -> int | None:
    """GLPI's delay statistics: 0 means « not computed »."""
    number = _int(value)
    return number if number and number > 0 else None


def _status(value: Any) -> str:
    number = _int(value)
    if number in GLPI_STATUSES:
        return GLPI_STATUSES[number]
    text = str(value or "").strip().lower()
    for status in TicketStatus:
        if text in (status.value, str(status.label).lower()):
            return status
    return TicketStatus.NEW


def ticket_from_row(
    row: dict[str, Any], columns: dict[str, int], entities: dict[str, SupportEntity]
) -> services.TicketData | None:
    def cell(name: str) -> Any:
        return row.get(str(columns[name]), row.get(columns[name]))  # type: ignore[call-overload]

    external_id = _int(cell("id"))
    opened_at = glpi_datetime(cell("date"))
    if external_id is None or opened_at is None:
        return None
    entity = entities.get(str(cell("entity") or ""))
    return services.TicketData(
        source=TicketSource.GLPI,
        external_id=str(external_id),
        title=str(cell("name") or "")[:255] or _("(sans titre)"),
        status=_status(cell("status")),
        opened_at=opened_at,
        member_id=entity.member_id if entity else None,
        entity_id=entity.pk if entity else None,
        category=str(cell("category") or "")[:255],
        priority=_int(cell("priority")),
        solved_at=glpi_datetime(cell("solvedate")),
        closed_at=glpi_datetime(cell("closedate")),
        modified_at=glpi_datetime(cell("date_mod")),
        response_seconds=_seconds(cell("takeintoaccount_delay_stat")),
        resolution_seconds=_seconds(cell("solve_delay_stat")),
        time_to_own=glpi_datetime(cell("time_to_own")),
        time_to_resolve=glpi_datetime(cell("time_to_resolve")),
    )


def client_for(connection: GlpiConnection) -> GlpiClient:
    return GlpiClient(
        connection.effective_url,
        app_token=connection.effective_app_token,
        user_token=connection.effective_user_token,
        timeout=settings.SUPPORT_GLPI_TIMEOUT,
    )


def run(job: SupportSync, progress) -> dict:
    connection = glpi_connection()
    if not connection.is_configured:
        raise JobFailure(
            _("La connexion à GLPI n'est pas renseignée (adresse et jeton d'utilisateur).")
        )
    since = connection.synced_until
    SupportSync.objects.filter(pk=job.pk).update(since=since)
    client = client_for(connection)
    created = updated = 0
    latest = since
    try:
        progress(_("Ouverture de la session GLPI"))
        client.init_session()
        columns = client.search_options()
        modified_since = ""
        if since:
            modified_since = timezone.localtime(since - OVERLAP).strftime(GLPI_DATE)
        progress(_("Lecture des tickets modifiés"))
        read = 0
        for page in client.tickets(columns, modified_since=modified_since):
            names = {str(r.get(str(columns["entity"])) or "") for r in page.rows}
            entities = services.entities_for(names)
            rows = [ticket_from_row(r, columns, entities) for r in page.rows]
            tickets = [t for t in rows if t is not None]
            new, changed, _same = services.tickets_save(tickets)
            created += new
            updated += changed
            read += len(page.rows)
            for ticket in tickets:
                if ticket.modified_at and (latest is None or ticket.modified_at > latest):
                    latest = ticket.modified_at
            progress(done=read, total=page.total)
    except GlpiError as error:
        raise JobFailure(error.message) from error
    finally:
        client.kill_session()
    GlpiConnection.objects.update_or_create(
        pk=GlpiConnection.SINGLETON_PK, defaults={"synced_until": latest}
    )
    unmapped = list(
        SupportEntity.objects.filter(member__isnull=True).values_list("name", flat=True)
    )
    SupportSync.objects.filter(pk=job.pk).update(
        tickets_created=created, tickets_updated=updated, unmapped_entities=unmapped
    )
    return {"created": created, "updated": updated, "unmapped": len(unmapped)}
