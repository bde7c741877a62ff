"""Writes of the support app: tickets saved once per source and number (a second time
updates them), GLPI entities and the member each stands for, the GLPI connection and the
synchronisations."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.core.jobs import job_enqueue
from mutualis.core.text import normalize_name
from mutualis.members.models import Member
from mutualis.support.models import (
    GlpiConnection,
    SupportEntity,
    SupportSync,
    SyncTrigger,
    Ticket,
    TicketStatus,
)


@dataclass(frozen=True)
class TicketData:
    source: str
    external_id: str
    title: str
    status: str
    opened_at: dt.datetime
    member_id: int | None = None
    entity_id: int | None = None
    category: str = ""
    priority: int | None = None
    first_response_at: dt.datetime | None = None
    solved_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    modified_at: dt.datetime | None = None
    response_seconds: int | None = None
    resolution_seconds: int | None = None
    time_to_own: dt.datetime | None = None
    time_to_resolve: dt.datetime | None = None

    def fields(self) -> dict:
        values = asdict(self)
        values.pop("source")
        values.pop("external_id")
        return values


def with_durations(data: TicketData) -> TicketData:
    """Durations the tool did not give, taken from the dates (elapsed time), and the date of
    the first response from its duration when the tool gave only that."""
    from dataclasses import replace

    changes: dict = {}
    if data.response_seconds is None and data.first_response_at:
        seconds = (data.first_response_at - data.opened_at).total_seconds()
        changes["response_seconds"] = max(0, int(seconds))
    if data.first_response_at is None and data.response_seconds is not None:
        changes["first_response_at"] = data.opened_at + dt.timedelta(seconds=data.response_seconds)
    done = data.status in (TicketStatus.SOLVED, TicketStatus.CLOSED)
    solved_at = data.solved_at or (data.closed_at if done else None)
    if data.resolution_seconds is None and done and solved_at:
        changes["resolution_seconds"] = max(0, int((solved_at - data.opened_at).total_seconds()))
    return replace(data, **changes) if changes else data


TRACKED = [f for f in TicketData.__dataclass_fields__ if f not in ("source", "external_id")]


def tickets_save(rows: Iterable[TicketData]) -> tuple[int, int, int]:
    """Saves the tickets: created, updated, unchanged. A ticket is one per source and
    number; saving it again updates it (never a duplicate)."""
    rows = [with_durations(r) for r in rows]
    if not rows:
        return 0, 0, 0
    by_source: dict[str, set[str]] = {}
    for row in rows:
        by_source.setdefault(row.source, set()).add(row.external_id)
    existing: dict[tuple[str, str], Ticket] = {}
    for source, ids in by_source.items():
        for ticket in Ticket.objects.filter(source=source, external_id__in=ids):
            existing[(source, ticket.external_id)] = ticket
    now = timezone.now()
    new: dict[tuple[str, str], Ticket] = {}
    changed: dict[tuple[str, str], Ticket] = {}
    unchanged = 0
    for row in rows:
        key = (row.source, row.external_id)
        ticket = existing.get(key)
        if ticket is None:
            new[key] = Ticket(source=row.source, external_id=row.external_id, **row.fields())
            continue
        values = row.fields()
        if all(getattr(ticket, name) == value for name, value in values.items()):
            unchanged += 1
            continue
        for name, value in values.items():
            setattr(ticket, name, value)
        ticket.updated_at = now
        changed[key] = ticket
    with transaction.atomic():
        Ticket.objects.bulk_create(new.values(), batch_size=500)
        if changed:
            Ticket.objects.bulk_update(changed.values(), [*TRACKED, "updated_at"], batch_size=500)
    return len(new), len(changed), unchanged


def _member_named(name: str) -> Member | None:
    """The member whose name is the entity's last part (« Entité racine > Bègles »), when
    exactly one member bears it."""
    last = normalize_name(name.split(">")[-1])
    for prefix in ("commune de ", "commune d ", "mairie de ", "mairie d "):
        if last.startswith(prefix):
            last = last[len(prefix) :]
    if not last:
        return None
    found = list(Member.objects.filter(search_name=last)[:2])
    return found[0] if len(found) == 1 else None


def entities_for(names: Iterable[str]) -> dict[str, SupportEntity]:
    """The entities of these names; a new one is matched to a member by its name when
    exactly one member bears it (the operator can change it)."""
    names = {n for n in names if n}
    known = {e.name: e for e in SupportEntity.objects.filter(name__in=names)}
    for name in sorted(names - set(known)):
        member = _member_named(name)
        entity, _created = SupportEntity.objects.get_or_create(
            name=name,
            defaults={"member": member, "matched_automatically": member is not None},
        )
        known[name] = entity
    return known


@transaction.atomic
def entity_map(*, entity: SupportEntity, member: Member | None) -> int:
    """Ties the entity to a member (or unties it); its tickets follow. Returns their count."""
    entity.member = member
    entity.matched_automatically = False
    entity.save(update_fields=["member", "matched_automatically"])
    return Ticket.objects.filter(entity=entity).update(member=member, updated_at=timezone.now())


@transaction.atomic
def connection_update(
    *,
    url: str,
    app_token: str | None = None,
    user_token: str | None = None,
    forget_tokens: bool = False,
) -> GlpiConnection:
    """The GLPI address and tokens; a token left out (None) keeps the one stored."""
    connection, _created = GlpiConnection.objects.select_for_update().get_or_create(
        pk=GlpiConnection.SINGLETON_PK
    )
    if connection.url != url.strip():
        connection.synced_until = None  # another GLPI: read everything again
    connection.url = url.strip()
    if forget_tokens:
        connection.app_token = connection.user_token = ""
    if app_token:
        connection.app_token = app_token.strip()
    if user_token:
        connection.user_token = user_token.strip()
    connection.full_clean()
    connection.save()
    return connection


def sync_prepare(*, user=None, trigger: str = SyncTrigger.MANUAL) -> SupportSync:
    """A new synchronisation, not queued yet; refused while another one is waiting or
    running, or before GLPI's address and token are set. Call it in a transaction."""
    from mutualis.core.jobs import JobStatus, fail_abandoned
    from mutualis.support.models import glpi_connection

    if not glpi_connection().is_configured:
        raise ValidationError(
            _("Renseignez d'abord l'adresse de GLPI et le jeton d'utilisateur (Connexion).")
        )
    fail_abandoned(SupportSync)
    GlpiConnection.objects.select_for_update().get_or_create(pk=GlpiConnection.SINGLETON_PK)
    busy = SupportSync.objects.filter(status__in=(JobStatus.QUEUED, JobStatus.RUNNING))
    if busy.exists():
        raise ValidationError(_("Une synchronisation est déjà en cours."))
    return SupportSync.objects.create(created_by=user, trigger=trigger)


def sync_request(*, user=None, trigger: str = SyncTrigger.MANUAL) -> SupportSync:
    """A synchronisation queued for the background worker."""
    with transaction.atomic():
        job = sync_prepare(user=user, trigger=trigger)
        job_enqueue(job)
    return job
