"""Who a ProConnect login is, and the operator's answer to an access request.

The rules of a login (`resolve`), in order:
1. the `sub` is linked to an account: that account (if active; an agent's only while the
   `siret` is still one of their members', else as 4 and 6 for the new organisation);
2. a logged-in user asked to link their account: the `sub` is linked to it;
4. the `siret`'s SIREN (its first 9 digits) is no member's: refused (unknown organisation);
5. the e-mail is an agent's of that member: the `sub` is linked to the agent, who is in;
3. the e-mail is a staff member's: refused, staff link their account from their page;
6. otherwise: an access request for the member (pending, the operator is told by e-mail).
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.core.roles import Capability, has_capability
from mutualis.core.tasks import notify_on_commit
from mutualis.members.models import AgentAccess, Member
from mutualis.members.services import agent_grant_access
from mutualis.proconnect.models import AccessRequest, AccessRequestStatus, ProConnectIdentity


class Outcome:
    LOGGED_IN = "logged_in"
    LINKED = "linked"
    UNKNOWN_ORGANISATION = "unknown_organisation"
    STAFF_NOT_LINKED = "staff_not_linked"
    REQUEST_PENDING = "request_pending"
    REQUEST_REFUSED = "request_refused"
    ALREADY_LINKED = "already_linked"
    INACTIVE = "inactive"
    MISSING_CLAIMS = "missing_claims"


@dataclass
class Result:
    outcome: str
    user: object | None = None
    member: Member | None = None


def siren_of(siret: str) -> str:
    digits = "".join(ch for ch in str(siret or "") if ch.isdigit())
    return digits[:9] if len(digits) == 14 else ""


def _touch(identity: ProConnectIdentity, claims: dict) -> None:
    identity.email = claims.get("email", identity.email) or identity.email
    identity.siret = str(claims.get("siret") or identity.siret)[:14]
    identity.idp_id = str(claims.get("idp_id") or identity.idp_id)[:255]
    identity.last_login_at = timezone.now()
    identity.save(update_fields=["email", "siret", "idp_id", "last_login_at", "updated_at"])


def _link(user, claims: dict) -> ProConnectIdentity:
    identity = ProConnectIdentity.objects.create(user=user, sub=claims["sub"])
    _touch(identity, claims)
    return identity


def unlink(user) -> bool:
    """Unties the account from its ProConnect identity (the next ProConnect login with that
    identity is treated as a new one). Refused to an account without a password of its own:
    it could no longer sign in. Returns whether there was an identity."""
    if not user.has_usable_password():
        raise ValidationError(
            _(
                "Votre compte n'a pas de mot de passe : définissez-en un (« Mot de passe "
                "oublié » sur la page de connexion) avant de délier ProConnect, sinon vous ne "
                "pourriez plus vous connecter."
            )
        )
    deleted, _by_model = ProConnectIdentity.objects.filter(user=user).delete()
    return bool(deleted)


@transaction.atomic
def resolve(claims: dict, link_user=None, base_url: str = "") -> Result:
    """What a ProConnect login with these (verified) claims gives; see the module's doc."""
    sub, email = claims.get("sub"), (claims.get("email") or "").strip().lower()
    if not sub or not email:
        return Result(Outcome.MISSING_CLAIMS)
    identity = ProConnectIdentity.objects.select_related("user").filter(sub=sub).first()
    if identity is not None:
        if link_user is not None and identity.user_id != link_user.pk:
            return Result(Outcome.ALREADY_LINKED)
        if not identity.user.is_active:
            return Result(Outcome.INACTIVE)
        user = identity.user
        if not (user.operator_role or user.is_superuser) and link_user is None:
            # An agent speaks for the organisation ProConnect names today: one who moved to
            # another organisation sees their former member no more.
            siren = siren_of(claims.get("siret"))
            if not AgentAccess.objects.filter(user=user, member__siren=siren).exists():
                member = Member.objects.filter(siren=siren).first() if siren else None
                if member is None:
                    return Result(Outcome.UNKNOWN_ORGANISATION)
                return _request_access(claims, member, email, base_url)
        _touch(identity, claims)
        return Result(Outcome.LOGGED_IN, user)
    if link_user is not None:
        if ProConnectIdentity.objects.filter(user=link_user).exists():
            ProConnectIdentity.objects.filter(user=link_user).delete()  # a new identity
        _link(link_user, claims)
        return Result(Outcome.LINKED, link_user)

    user_model = get_user_model()
    staff = user_model.objects.filter(email__iexact=email).filter(
        Q(is_superuser=True) | ~Q(operator_role="")
    )
    if staff.exists():
        return Result(Outcome.STAFF_NOT_LINKED)
    siren = siren_of(claims.get("siret"))
    member = Member.objects.filter(siren=siren).first() if siren else None
    if member is None:
        return Result(Outcome.UNKNOWN_ORGANISATION)
    agent = (
        user_model.objects.filter(
            email__iexact=email, operator_role="", is_superuser=False, is_active=True
        )
        .filter(pk__in=AgentAccess.objects.filter(member=member).values("user"))
        .first()
    )
    if agent is not None and not ProConnectIdentity.objects.filter(user=agent).exists():
        _link(agent, claims)
        return Result(Outcome.LOGGED_IN, agent, member)
    return _request_access(claims, member, email, base_url)


def _request_access(claims: dict, member: Member, email: str, base_url: str) -> Result:
    previous = AccessRequest.objects.filter(sub=claims["sub"], member=member).first()
    if previous is not None and previous.status == AccessRequestStatus.PENDING:
        return Result(Outcome.REQUEST_PENDING, member=member)
    if previous is not None and previous.status == AccessRequestStatus.REFUSED:
        return Result(Outcome.REQUEST_REFUSED, member=member)
    try:
        with transaction.atomic():
            request = AccessRequest.objects.create(
                member=member,
                sub=claims["sub"],
                email=email,
                given_name=str(claims.get("given_name") or "")[:150],
                usual_name=str(claims.get("usual_name") or "")[:150],
                siret=str(claims.get("siret"))[:14],
                idp_id=str(claims.get("idp_id") or "")[:255],
            )
    except IntegrityError:  # the same agent, twice at once
        return Result(Outcome.REQUEST_PENDING, member=member)
    _tell_operator(request, base_url)
    return Result(Outcome.REQUEST_PENDING, member=member)


def _operator_addresses() -> list[str]:
    staff = get_user_model().objects.filter(is_active=True).exclude(email="")
    return sorted(
        {
            u.email
            for u in staff.exclude(operator_role="")
            if has_capability(u, Capability.MANAGE_USERS)
        }
    )


def _tell_operator(request: AccessRequest, base_url: str) -> None:
    path = base_url.rstrip("/") + reverse("proconnect:request", args=[request.pk])
    notify_on_commit(
        _("Demande d'accès de %(name)s (%(member)s)")
        % {"name": request.full_name, "member": request.member.name},
        _(
            "%(name)s <%(email)s>, agent de %(member)s (SIRET %(siret)s), s'est connecté avec "
            "ProConnect et demande un accès à Mutualis.\n\n"
            "Acceptez ou refusez la demande depuis la page « Demandes d'accès ProConnect » : "
            "%(path)s\n"
        )
        % {
            "name": request.full_name,
            "email": request.email,
            "member": request.member.name,
            "siret": request.siret,
            "path": path,
        },
        _operator_addresses(),
    )


class DecisionError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@transaction.atomic
def approve(request: AccessRequest, by) -> AccessRequest:
    """An account for the agent (or the existing one of the same e-mail), access to the
    member, the ProConnect identity linked; the agent is told by e-mail."""
    request = AccessRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != AccessRequestStatus.PENDING:
        raise DecisionError(_("Cette demande a déjà été traitée."))
    user_model = get_user_model()
    user = user_model.objects.filter(email__iexact=request.email).first()
    if user is not None and (user.operator_role or user.is_superuser):
        raise DecisionError(
            _("Cette adresse est celle d'un compte du personnel : il lie son compte lui-même.")
        )
    if user is None:
        user = user_model(
            username=request.email,
            email=request.email,
            first_name=request.given_name,
            last_name=request.usual_name,
        )
        user.set_unusable_password()
        user.save()
    agent_grant_access(user=user, member=request.member)
    identity = ProConnectIdentity.objects.filter(sub=request.sub).first()
    if identity is None and not ProConnectIdentity.objects.filter(user=user).exists():
        ProConnectIdentity.objects.create(
            user=user,
            sub=request.sub,
            email=request.email,
            siret=request.siret,
            idp_id=request.idp_id,
        )
    request.status = AccessRequestStatus.APPROVED
    request.decided_by, request.decided_at, request.user = by, timezone.now(), user
    request.save(update_fields=["status", "decided_by", "decided_at", "user", "updated_at"])
    notify_on_commit(
        _("Votre accès à Mutualis est ouvert"),
        _(
            "Bonjour,\n\n%(operator)s a accepté votre demande : vous voyez désormais %(member)s "
            "dans Mutualis. Connectez-vous avec le bouton ProConnect de la page de connexion.\n"
        )
        % {"operator": settings.OPERATOR_NAME, "member": request.member.name},
        [request.email],
    )
    return request


@transaction.atomic
def refuse(request: AccessRequest, by) -> AccessRequest:
    request = AccessRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != AccessRequestStatus.PENDING:
        raise DecisionError(_("Cette demande a déjà été traitée."))
    request.status = AccessRequestStatus.REFUSED
    request.decided_by, request.decided_at = by, timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    notify_on_commit(
        _("Votre demande d'accès à Mutualis"),
        _(
            "Bonjour,\n\n%(operator)s n'a pas donné suite à votre demande d'accès pour "
            "%(member)s. Pour en savoir plus, adressez-vous à l'opérateur.\n"
        )
        % {"operator": settings.OPERATOR_NAME, "member": request.member.name},
        [request.email],
    )
    return request
