"""Writes on members, memberships and agents. Each spans rows inside one transaction."""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from mutualis.members.models import (
    AgentAccess,
    Agreement,
    Decision,
    Member,
    MemberKind,
    Membership,
    MembershipPart,
)
from mutualis.territory.models import Commune, Departement, Epci


def _perimeter_of_parent(parent: Member | None) -> tuple[int | None, int | None]:
    if parent is None:
        return None, None
    return parent.epci_id, parent.departement_id


@transaction.atomic
def member_create_from_commune(*, commune: Commune) -> tuple[Member, bool]:
    """The commune as a member, with its official codes; returns (member, created)."""
    defaults = {
        "kind": MemberKind.COMMUNE,
        "name": commune.name,
        "siren": commune.siren,
        "insee_code": commune.insee_code,
        "population": commune.population,
        "epci_id": commune.epci_id,
        "departement_id": commune.departement_id,
    }
    member, created = Member.objects.get_or_create(commune=commune, defaults=defaults)
    if not created:
        changed = [f for f, v in defaults.items() if getattr(member, f) != v]
        for field in changed:
            setattr(member, field, defaults[field])
        if changed:
            member.save(update_fields=[*changed, "updated_at"])
    return member, created


@transaction.atomic
def member_create_from_epci(*, epci: Epci) -> tuple[Member, bool]:
    departement_id = (
        Commune.objects.filter(epci=epci)
        .order_by("-population")
        .values_list("departement_id", flat=True)
        .first()
    )
    defaults = {
        "kind": MemberKind.EPCI,
        "name": epci.name,
        "siren": epci.siren,
        "population": epci.population,
        "epci_id": epci.pk,
        "departement_id": departement_id,
    }
    member, created = Member.objects.get_or_create(territory_epci=epci, defaults=defaults)
    if not created:
        changed = [f for f, v in defaults.items() if getattr(member, f) != v]
        for field in changed:
            setattr(member, field, defaults[field])
        if changed:
            member.save(update_fields=[*changed, "updated_at"])
    return member, created


@transaction.atomic
def member_create_from_departement(
    *, departement: Departement, siren: str = ""
) -> tuple[Member, bool]:
    population = sum(
        Commune.objects.filter(departement=departement).values_list("population", flat=True)
    )
    return Member.objects.update_or_create(
        kind=MemberKind.DEPARTEMENT,
        departement=departement,
        defaults={
            "name": _("Département %(name)s") % {"name": departement.name}
            if not departement.name.startswith("Département")
            else departement.name,
            "insee_code": departement.code,
            "population": population,
            **({"siren": siren} if siren else {}),
        },
    )


def member_find_territory_code(code: str) -> Commune | Epci | Departement:
    """An INSEE code (5 characters), an EPCI SIREN (9 digits) or a département code."""
    code = code.strip().upper()
    if len(code) == 9 and code.isdigit():
        epci = Epci.objects.filter(siren=code).first()
        if epci:
            return epci
        commune = Commune.objects.filter(siren=code).first()
        if commune:
            return commune
    elif len(code) == 5:
        commune = Commune.objects.filter(insee_code=code).first()
        if commune:
            return commune
    elif len(code) in (2, 3):
        departement = Departement.objects.filter(code=code).first()
        if departement:
            return departement
    raise ValidationError(
        _("Aucune commune, EPCI ou département ne porte le code « %(code)s ».") % {"code": code}
    )


def member_create_from_territory(*, code: str) -> tuple[Member, bool]:
    found = member_find_territory_code(code)
    if isinstance(found, Commune):
        return member_create_from_commune(commune=found)
    if isinstance(found, Epci):
        return member_create_from_epci(epci=found)
    return member_create_from_departement(departement=found)


@transaction.atomic
def establishment_create(
    *,
    name: str,
    parent: Member,
    establishment_kind: str,
    siren: str = "",
    population: int | None = None,
    email: str = "",
    kind: str = MemberKind.ESTABLISHMENT,
) -> Member:
    if parent.kind not in (MemberKind.COMMUNE, MemberKind.EPCI):
        raise ValidationError(
            {"parent": _("Un établissement est rattaché à une commune ou à un EPCI.")}
        )
    epci_id, departement_id = _perimeter_of_parent(parent)
    member = Member(
        kind=kind,
        establishment_kind=establishment_kind,
        name=name,
        siren=siren,
        population=population,
        parent=parent,
        epci_id=epci_id,
        departement_id=departement_id,
        email=email,
    )
    member.full_clean()
    member.save()
    return member


def _check_no_overlap(member: Member, start: dt.date, end: dt.date | None, exclude_pk=None):
    overlapping = Membership.objects.filter(member=member).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start)
    )
    if end is not None:
        overlapping = overlapping.filter(start_date__lte=end)
    if exclude_pk:
        overlapping = overlapping.exclude(pk=exclude_pk)
    if overlapping.exists():
        raise ValidationError({"start_date": _("Ce membre a déjà une adhésion sur cette période.")})


@transaction.atomic
def membership_create(
    *,
    member: Member,
    start_date: dt.date,
    part: str = MembershipPart.FULL,
    end_date: dt.date | None = None,
    decision: Decision | None = None,
    agreement: Agreement | None = None,
) -> Membership:
    Member.objects.select_for_update().filter(pk=member.pk).first()
    if end_date is not None and end_date < start_date:
        raise ValidationError({"end_date": _("La fin précède le début de l'adhésion.")})
    _check_no_overlap(member, start_date, end_date)
    membership = Membership(
        member=member,
        start_date=start_date,
        end_date=end_date,
        part=part,
        decision=decision,
        agreement=agreement,
    )
    # The overlap check above covers the constraints: skip their extra queries.
    membership.full_clean(validate_unique=False, validate_constraints=False)
    membership.save()
    return membership


@transaction.atomic
def membership_end(
    *, membership: Membership, end_date: dt.date, reason: str, end_subscriptions: bool = False
) -> Membership:
    """Ends an adhésion: the history stays, nothing is deleted.

    With `end_subscriptions`, the member's souscriptions still running after `end_date` end on
    the same day, in the same transaction; one that would only start later is refused by name
    (the operator withdraws it first), so that nothing is billed past the adhésion.
    """
    from mutualis.catalog import services as catalog_services
    from mutualis.catalog.models import Subscription

    if membership.end_date is not None and membership.end_date <= end_date:
        raise ValidationError({"end_date": _("Cette adhésion est déjà terminée.")})
    if end_date < membership.start_date:
        raise ValidationError({"end_date": _("La fin précède le début de l'adhésion.")})
    membership.end_date = end_date
    membership.end_reason = reason
    membership.save(update_fields=["end_date", "end_reason", "updated_at"])
    if end_subscriptions:
        running = (
            Subscription.objects.filter(member_id=membership.member_id)
            .filter(Q(end_date__isnull=True) | Q(end_date__gt=end_date))
            .select_related("service")
            .order_by("service__name", "start_date")
        )
        later = [s.service.name for s in running if s.start_date > end_date]
        if later:
            raise ValidationError(
                {
                    "end_subscriptions": _(
                        "Ces souscriptions commencent après la fin de l'adhésion ; "
                        "retirez-les d'abord : %(names)s."
                    )
                    % {"names": ", ".join(later)}
                }
            )
        for subscription in running:
            catalog_services.subscription_end(subscription=subscription, end_date=end_date)
    return membership


@transaction.atomic
def decision_create(
    *,
    member: Member | None,
    body: str,
    date: dt.date,
    subject: str,
    number: str = "",
    document=None,
) -> Decision:
    decision = Decision(
        member=member, body=body, date=date, subject=subject, number=number, document=document or ""
    )
    decision.full_clean()
    decision.save()
    return decision


@transaction.atomic
def agreement_create(
    *,
    member: Member,
    reference: str,
    signed_on: dt.date | None = None,
    third_party: Member | None = None,
    document=None,
) -> Agreement:
    if third_party is not None and (
        third_party.kind != MemberKind.EPCI or third_party.territory_epci_id != member.epci_id
    ):
        raise ValidationError(
            {
                "third_party": _("Le tiers d'une convention tripartite est l'EPCI de %(member)s.")
                % {"member": member.name}
            }
        )
    agreement = Agreement(
        member=member,
        reference=reference,
        signed_on=signed_on,
        third_party=third_party,
        document=document or "",
    )
    agreement.full_clean()
    agreement.save()
    return agreement


@transaction.atomic
def agent_grant_access(
    *, user, member: Member, includes_perimeter: bool = False, is_elected: bool = False
) -> AgentAccess:
    if user.operator_role:
        raise ValidationError(
            _("Un membre du personnel de l'opérateur voit déjà tous les membres.")
        )
    if includes_perimeter and member.kind != MemberKind.EPCI:
        raise ValidationError(_("Seul un agent d'EPCI peut voir les communes de son territoire."))
    access, _created = AgentAccess.objects.update_or_create(
        user=user,
        member=member,
        defaults={"includes_perimeter": includes_perimeter, "is_elected": is_elected},
    )
    return access


@transaction.atomic
def agent_invite(
    *,
    member: Member,
    email: str,
    first_name: str,
    last_name: str,
    includes_perimeter: bool = False,
    is_elected: bool = False,
    domain: str,
    use_https: bool,
) -> tuple[AgentAccess, bool]:
    """Gives an agent access to a member, creating the account when it does not exist yet.

    A new account has no password: the agent receives a link to choose one. Returns the
    access and whether the account was created.
    """
    user_model = get_user_model()
    email = user_model.objects.normalize_email(email).lower()
    user = user_model.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        user = user_model(username=email, email=email, first_name=first_name, last_name=last_name)
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
    access = agent_grant_access(
        user=user, member=member, includes_perimeter=includes_perimeter, is_elected=is_elected
    )
    if created:
        form = PasswordResetForm({"email": email})
        form.is_valid()

        def send_link():
            # Django sends reset links only to accounts with a usable password: the new
            # account gets its first link directly.
            form.send_mail(
                "members/email/invitation_subject.txt",
                "members/email/invitation.txt",
                {**_invitation_context(user, domain, use_https), "member": member.name},
                None,
                email,
            )

        transaction.on_commit(send_link)
    return access, created


def _invitation_context(user, domain: str, use_https: bool) -> dict:
    return {
        "operator": settings.OPERATOR_NAME,
        "email": user.email,
        "domain": domain,
        "site_name": domain,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": "https" if use_https else "http",
    }


@transaction.atomic
def agent_revoke_access(*, access: AgentAccess) -> None:
    access.delete()
