import datetime as dt

from django.utils import timezone

from mutualis.support.models import SupportEntity, Ticket, TicketSource, TicketStatus


def make_entity(member, name=""):
    name = name or f"Syndicat > {member.name if member else 'Entité inconnue'}"
    entity, _created = SupportEntity.objects.get_or_create(
        name=name, defaults={"member": member, "matched_automatically": True}
    )
    return entity


def make_ticket(member, *, external_id="1001", **fields):
    opened = fields.pop("opened_at", timezone.now() - dt.timedelta(days=2))
    return Ticket.objects.create(
        source=fields.pop("source", TicketSource.GLPI),
        external_id=external_id,
        member=member,
        entity=fields.pop("entity", make_entity(member)),
        title=fields.pop("title", "Mot de passe de la messagerie oublié"),
        status=fields.pop("status", TicketStatus.SOLVED),
        opened_at=opened,
        first_response_at=opened + dt.timedelta(hours=1),
        solved_at=opened + dt.timedelta(hours=6),
        response_seconds=3600,
        resolution_seconds=6 * 3600,
        time_to_resolve=opened + dt.timedelta(hours=8),
        **fields,
    )


builders = {Ticket: make_ticket, SupportEntity: make_entity}
