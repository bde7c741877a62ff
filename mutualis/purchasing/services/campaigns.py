"""Campaigns: creation, calendar, lots, invitations, status transitions, renewal."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.members.models import Member, MemberKind, Membership
from mutualis.purchasing.models import Campaign, CampaignStatus, Invitation, InvitationMode, Lot

CAMPAIGN_FIELDS = (
    "name",
    "description",
    "needs_deadline",
    "offers_deadline",
    "award_date",
    "contract_start",
    "contract_end",
    "agreement_reference",
    "agreement_date",
    "agreement_document",
    "price_weight",
    "fee_service",
)

# status -> the statuses it may move to
TRANSITIONS = {
    CampaignStatus.DRAFT: (CampaignStatus.NEEDS,),
    CampaignStatus.NEEDS: (CampaignStatus.DRAFT, CampaignStatus.OFFERS),
    CampaignStatus.OFFERS: (CampaignStatus.NEEDS, CampaignStatus.AWARDED),
    CampaignStatus.AWARDED: (CampaignStatus.CLOSED,),
    CampaignStatus.CLOSED: (),
}


@transaction.atomic
def campaign_create(*, created_by=None, **fields) -> Campaign:
    unknown = set(fields) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise TypeError(f"unknown campaign fields: {sorted(unknown)}")
    campaign = Campaign(created_by=created_by, **fields)
    campaign.full_clean()
    campaign.save()
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, **fields) -> Campaign:
    for name, value in fields.items():
        if name not in CAMPAIGN_FIELDS:
            raise TypeError(f"unknown campaign field: {name}")
        setattr(campaign, name, value)
    campaign.full_clean()
    campaign.save()
    return campaign


@transaction.atomic
def campaign_transition(*, campaign: Campaign, status: str) -> Campaign:
    """Moves the campaign (the given instance is updated too) to the next status."""
    current = (
        Campaign.objects.select_for_update().values_list("status", flat=True).get(pk=campaign.pk)
    )
    campaign.status = current
    if status not in TRANSITIONS[current]:
        raise ValidationError(
            _("Une campagne « %(current)s » ne peut pas passer à « %(target)s ».")
            % {
                "current": campaign.get_status_display(),
                "target": CampaignStatus(status).label,
            }
        )
    if status == CampaignStatus.NEEDS and not campaign.lots.exists():
        raise ValidationError(_("Ajoutez au moins un lot avant d'ouvrir le recueil des besoins."))
    if status == CampaignStatus.NEEDS and not campaign.invitations.exists():
        raise ValidationError(_("Invitez des membres avant d'ouvrir le recueil des besoins."))
    if status == CampaignStatus.AWARDED:
        pending = campaign.lots.filter(needs__isnull=False, awarded_offer__isnull=True).distinct()
        if pending.exists():
            raise ValidationError(
                _("Lots demandés sans attributaire : %(lots)s.")
                % {"lots": ", ".join(str(lot) for lot in pending)}
            )
    campaign.status = status
    campaign.save(update_fields=["status", "updated_at"])
    return campaign


def _require_editable(campaign: Campaign) -> None:
    if campaign.status not in (CampaignStatus.DRAFT, CampaignStatus.NEEDS):
        raise ValidationError(
            _("Les lots et les invitations ne changent plus une fois la consultation lancée.")
        )


@transaction.atomic
def lot_create(
    *,
    campaign: Campaign,
    name: str,
    unit: str,
    description: str = "",
    max_quantity: Decimal | None = None,
    reference_unit_price: Decimal | None = None,
    previous_lot: Lot | None = None,
) -> Lot:
    _require_editable(campaign)
    number = (campaign.lots.aggregate(last=Max("number"))["last"] or 0) + 1
    lot = Lot(
        campaign=campaign,
        number=number,
        name=name,
        unit=unit,
        description=description,
        max_quantity=max_quantity,
        reference_unit_price=reference_unit_price,
        previous_lot=previous_lot,
    )
    lot.full_clean()
    lot.save()
    return lot


@transaction.atomic
def lot_update(*, lot: Lot, **fields) -> Lot:
    _require_editable(lot.campaign)
    allowed = {"name", "unit", "description", "max_quantity", "reference_unit_price"}
    for name, value in fields.items():
        if name not in allowed:
            raise TypeError(f"unknown lot field: {name}")
        setattr(lot, name, value)
    lot.full_clean()
    lot.save()
    return lot


def members_for_invitation(
    *,
    mode: str,
    kind: str = "",
    epci: Member | None = None,
    members=(),
    day: dt.date | None = None,
):
    """The members an invitation mode designates: adherents (an active membership) only."""
    day = day or timezone.localdate()
    adherents = Member.objects.filter(pk__in=Membership.objects.active_on(day).values("member_id"))
    if mode == InvitationMode.ALL:
        return adherents
    if mode == InvitationMode.KIND:
        if not kind:
            raise ValidationError({"invitation_kind": _("Choisissez le type de membres.")})
        return adherents.filter(kind=kind)
    if mode == InvitationMode.EPCI:
        if epci is None or epci.kind != MemberKind.EPCI or epci.territory_epci_id is None:
            raise ValidationError({"invitation_epci": _("Choisissez un EPCI.")})
        return adherents.filter(
            epci_id=epci.territory_epci_id, kind__in=[MemberKind.EPCI, MemberKind.COMMUNE]
        )
    if mode == InvitationMode.CHOSEN:
        if not members:
            raise ValidationError({"members": _("Choisissez au moins un membre.")})
        return Member.objects.filter(pk__in=[m.pk for m in members])
    raise ValidationError({"invitation_mode": _("Mode d'invitation inconnu.")})


@transaction.atomic
def campaign_invite(
    *,
    campaign: Campaign,
    mode: str,
    kind: str = "",
    epci: Member | None = None,
    members=(),
    day: dt.date | None = None,
) -> int:
    """Adds the designated members to the invitation list; returns how many were added."""
    _require_editable(campaign)
    designated = members_for_invitation(mode=mode, kind=kind, epci=epci, members=members, day=day)
    already = set(campaign.invitations.values_list("member_id", flat=True))
    new_ids = [pk for pk in designated.values_list("pk", flat=True) if pk not in already]
    Invitation.objects.bulk_create([Invitation(campaign=campaign, member_id=pk) for pk in new_ids])
    campaign.invitation_mode = mode
    campaign.invitation_kind = kind if mode == InvitationMode.KIND else ""
    campaign.invitation_epci = epci if mode == InvitationMode.EPCI else None
    campaign.save(
        update_fields=["invitation_mode", "invitation_kind", "invitation_epci", "updated_at"]
    )
    return len(new_ids)


@transaction.atomic
def invitation_remove(*, invitation: Invitation) -> None:
    _require_editable(invitation.campaign)
    if invitation.answered_at is not None and invitation.withdrawn_at is None:
        raise ValidationError(_("Ce membre a déjà exprimé ses besoins : il peut se retirer."))
    invitation.delete()


@transaction.atomic
def campaign_renew(
    *,
    source: Campaign,
    name: str,
    needs_deadline: dt.date,
    offers_deadline: dt.date,
    award_date: dt.date,
    contract_start: dt.date,
    contract_end: dt.date,
    created_by=None,
) -> Campaign:
    """A new draft campaign with the source's lots, invited members and fee service; each
    lot's last awarded unit price becomes its reference market price."""
    if not source.is_awarded:
        raise ValidationError(_("Seule une campagne attribuée peut être renouvelée."))
    campaign = campaign_create(
        created_by=created_by,
        name=name,
        description=source.description,
        needs_deadline=needs_deadline,
        offers_deadline=offers_deadline,
        award_date=award_date,
        contract_start=contract_start,
        contract_end=contract_end,
        price_weight=source.price_weight,
        fee_service=source.fee_service,
    )
    campaign.renewed_from = source
    campaign.invitation_mode = source.invitation_mode
    campaign.invitation_kind = source.invitation_kind
    campaign.invitation_epci = source.invitation_epci
    campaign.save()
    for lot in source.lots.order_by("number"):
        lot_create(
            campaign=campaign,
            name=lot.name,
            unit=lot.unit,
            description=lot.description,
            max_quantity=lot.max_quantity,
            reference_unit_price=lot.awarded_unit_price or lot.reference_unit_price,
            previous_lot=lot,
        )
    for criterion in source.criteria.all():
        campaign.criteria.create(name=criterion.name, weight=criterion.weight)
    Invitation.objects.bulk_create(
        [
            Invitation(campaign=campaign, member_id=member_id)
            for member_id in source.invitations.values_list("member_id", flat=True)
        ]
    )
    return campaign
