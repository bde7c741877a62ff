"""Members' needs: entered per member for every lot at once, withdrawn, or imported."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.members.models import Member
from mutualis.purchasing.models import Campaign, CampaignStatus, Invitation, Lot, Need, NeedSource


@dataclass(frozen=True)
class NeedEntry:
    lot: Lot
    quantity: Decimal | None  # None or 0: no need for this lot
    current_unit_price: Decimal | None = None


def _invitation(campaign: Campaign, member: Member) -> Invitation:
    try:
        return Invitation.objects.select_for_update().get(campaign=campaign, member=member)
    except Invitation.DoesNotExist as exc:
        raise ValidationError(
            _("%(member)s n'est pas invité à cette campagne.") % {"member": member.name}
        ) from exc


def check_needs_open(campaign: Campaign, *, by_operator: bool, today: dt.date) -> None:
    if campaign.status != CampaignStatus.NEEDS:
        raise ValidationError(_("Le recueil des besoins de cette campagne n'est pas ouvert."))
    if not by_operator and today > campaign.needs_deadline:
        raise ValidationError(
            _("La date limite du %(day)s est passée : adressez vos besoins à l'opérateur.")
            % {"day": campaign.needs_deadline.strftime("%d/%m/%Y")}
        )


@transaction.atomic
def needs_set(
    *,
    campaign: Campaign,
    member: Member,
    entries: list[NeedEntry],
    entered_by=None,
    source: str = NeedSource.PORTAL,
    now: dt.datetime | None = None,
) -> int:
    """Replaces the member's needs for the given lots; returns how many lots it needs.

    Agents answer until the deadline; the operator may enter late answers (shown as late).
    """
    now = now or timezone.now()
    check_needs_open(
        campaign, by_operator=source != NeedSource.PORTAL, today=timezone.localdate(now)
    )
    invitation = _invitation(campaign, member)
    errors = {}
    for entry in entries:
        if entry.lot.campaign_id != campaign.pk:
            raise ValidationError(_("Ce lot n'appartient pas à la campagne."))
        if entry.quantity is not None and entry.quantity < 0:
            errors[f"quantity_{entry.lot.pk}"] = _("La quantité ne peut pas être négative.")
        if entry.current_unit_price is not None and entry.current_unit_price < 0:
            errors[f"price_{entry.lot.pk}"] = _("Le prix ne peut pas être négatif.")
    if errors:
        raise ValidationError(errors)
    needed = 0
    for entry in entries:
        if not entry.quantity:
            Need.objects.filter(lot=entry.lot, member=member).delete()
            continue
        need, _created = Need.objects.get_or_create(
            lot=entry.lot,
            member=member,
            defaults={"quantity": entry.quantity, "source": source},
        )
        need.quantity = entry.quantity
        need.current_unit_price = entry.current_unit_price
        need.source = source
        need.entered_by = entered_by
        need.full_clean(validate_unique=False, validate_constraints=False)
        need.save()
        needed += 1
    if invitation.answered_at is None or invitation.withdrawn_at is not None:
        invitation.answered_at = now
    invitation.withdrawn_at = None
    invitation.save(update_fields=["answered_at", "withdrawn_at", "updated_at"])
    return needed


@transaction.atomic
def invitation_withdraw(
    *, campaign: Campaign, member: Member, now: dt.datetime | None = None
) -> Invitation:
    """The member leaves the group before the needs deadline; its needs are removed."""
    now = now or timezone.now()
    check_needs_open(campaign, by_operator=False, today=timezone.localdate(now))
    invitation = _invitation(campaign, member)
    Need.objects.filter(lot__campaign=campaign, member=member).delete()
    invitation.withdrawn_at = now
    invitation.save(update_fields=["withdrawn_at", "updated_at"])
    return invitation
