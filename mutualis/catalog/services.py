"""Writes on the catalogue: services, requests and their decisions, subscriptions."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.catalog.models import (
    ReferencePrice,
    RequestStatus,
    Service,
    ServiceRequest,
    Subscription,
    SubscriptionScope,
)
from mutualis.core.tasks import notify_on_commit
from mutualis.members.models import Member, MemberKind


def _check_scope(member: Member, scope: str, establishments=()) -> None:
    if scope != SubscriptionScope.SELF and member.kind != MemberKind.EPCI:
        raise ValidationError(
            {"scope": _("Seul un EPCI peut souscrire pour ses communes et établissements.")}
        )
    if scope != SubscriptionScope.WITH_ESTABLISHMENTS and establishments:
        raise ValidationError(
            {"scope": _("Les établissements couverts ne se choisissent qu'avec ce périmètre.")}
        )
    if scope == SubscriptionScope.WITH_ESTABLISHMENTS and not establishments:
        raise ValidationError(
            {"covered_establishments": _("Choisissez au moins un établissement couvert.")}
        )
    outside = [e for e in establishments if e.epci_id != member.epci_id]
    if outside:
        raise ValidationError(
            _("%(names)s hors du territoire de l'EPCI.")
            % {"names": ", ".join(e.name for e in outside)}
        )


@transaction.atomic
def subscription_create(
    *,
    member: Member,
    service: Service,
    start_date: dt.date,
    scope: str = SubscriptionScope.SELF,
    end_date: dt.date | None = None,
    covered_establishments=(),
    rebill_key: str = "",
    rebill_own_key: str = "",
) -> Subscription:
    if not service.is_open_to(member):
        raise ValidationError(
            _("Le service « %(service)s » n'est pas ouvert à ce membre.") % {"service": service}
        )
    _check_scope(member, scope, covered_establishments)
    if end_date is not None and end_date < start_date:
        raise ValidationError({"end_date": _("La fin précède le début de la souscription.")})
    if rebill_key and scope == SubscriptionScope.SELF:
        raise ValidationError(
            {"rebill_key": _("Seul un EPCI qui souscrit pour ses communes les refacture.")}
        )
    if rebill_own_key and scope == SubscriptionScope.SELF:
        raise ValidationError(
            {
                "rebill_own_key": _(
                    "Seul un EPCI qui souscrit pour ses communes leur refacture sa participation."
                )
            }
        )
    overlapping = Subscription.objects.filter(member=member, service=service).active_on(start_date)
    if overlapping.exists():
        raise ValidationError(_("Ce membre souscrit déjà à ce service à cette date."))
    subscription = Subscription(
        member=member,
        service=service,
        start_date=start_date,
        end_date=end_date,
        scope=scope,
        rebill_key=rebill_key,
        rebill_own_key=rebill_own_key,
    )
    # The overlap check above covers the unique constraint: skip its extra query per row.
    subscription.full_clean(validate_unique=False, validate_constraints=False)
    subscription.save()
    if covered_establishments:
        subscription.covered_establishments.set(covered_establishments)
    return subscription


@transaction.atomic
def subscription_end(*, subscription: Subscription, end_date: dt.date) -> Subscription:
    if end_date < subscription.start_date:
        raise ValidationError({"end_date": _("La fin précède le début de la souscription.")})
    subscription.end_date = end_date
    subscription.save(update_fields=["end_date", "updated_at"])
    return subscription


@transaction.atomic
def service_request_create(
    *,
    member: Member,
    service: Service,
    requested_by,
    desired_start_date: dt.date,
    scope: str = SubscriptionScope.SELF,
    message: str = "",
) -> ServiceRequest:
    if not service.is_open_to(member):
        raise ValidationError(
            _("Le service « %(service)s » n'est pas ouvert à ce membre.") % {"service": service}
        )
    if scope == SubscriptionScope.WITH_ESTABLISHMENTS:
        raise ValidationError(
            {
                "scope": _(
                    "Pour des établissements choisis, demandez le périmètre de l'EPCI et "
                    "nommez les établissements dans votre message : l'opérateur les enregistrera."
                )
            }
        )
    if desired_start_date < timezone.localdate():
        raise ValidationError(
            {"desired_start_date": _("La date de début souhaitée ne peut pas être passée.")}
        )
    _check_scope(member, scope)
    if ServiceRequest.objects.pending().filter(member=member, service=service).exists():
        raise ValidationError(
            _("Une demande de votre collectivité pour ce service est en attente.")
        )
    if Subscription.objects.filter(member=member, service=service).current_or_future().exists():
        raise ValidationError(_("Votre collectivité souscrit déjà à ce service."))
    service_request = ServiceRequest(
        member=member,
        service=service,
        requested_by=requested_by,
        desired_start_date=desired_start_date,
        scope=scope,
        message=message,
    )
    service_request.full_clean()
    service_request.save()
    _notify_operator(service_request)
    return service_request


def request_deciders_emails() -> list[str]:
    """The operator's staff who decide requests (active, with an e-mail address)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from mutualis.core.roles import ROLE_CAPABILITIES, Capability

    roles = [r for r, caps in ROLE_CAPABILITIES.items() if Capability.DECIDE_REQUESTS in caps]
    users = get_user_model().objects.filter(
        Q(operator_role__in=roles) | Q(is_superuser=True), is_active=True
    )
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


def _notify_operator(service_request: ServiceRequest) -> None:
    """A new request is announced to those who decide it: by e-mail, and in the « Demandes »
    entry of their menu, which counts the requests waiting."""
    notify_on_commit(
        _("Nouvelle demande : %(service)s pour %(member)s")
        % {"service": service_request.service.name, "member": service_request.member.name},
        _(
            "Bonjour,\n\n%(member)s demande le service « %(service)s » à partir du %(day)s."
            "\n\nMessage : %(message)s\n\nLa demande attend votre décision dans Mutualis, "
            "rubrique « Demandes »."
        )
        % {
            "member": service_request.member.name,
            "service": service_request.service.name,
            "day": service_request.desired_start_date.strftime("%d/%m/%Y"),
            "message": service_request.message or "—",
        },
        request_deciders_emails(),
    )


def _lock_pending(service_request: ServiceRequest) -> ServiceRequest:
    locked = ServiceRequest.objects.select_for_update().get(pk=service_request.pk)
    if locked.status != RequestStatus.PENDING:
        raise ValidationError(_("Cette demande a déjà été traitée."))
    return locked


@transaction.atomic
def service_request_approve(
    *, service_request: ServiceRequest, decided_by, start_date: dt.date | None = None
) -> Subscription:
    """Approval creates the dated subscription."""
    locked = _lock_pending(service_request)
    subscription = subscription_create(
        member=locked.member,
        service=locked.service,
        start_date=start_date or locked.desired_start_date,
        scope=locked.scope,
    )
    locked.status = RequestStatus.APPROVED
    locked.decided_by = decided_by
    locked.decided_at = timezone.now()
    locked.subscription = subscription
    locked.save()
    service_request.refresh_from_db()
    _notify_decision(
        locked,
        _("Votre demande « %(service)s » est acceptée") % {"service": locked.service.name},
        _(
            "Bonjour,\n\nLa demande de %(member)s pour le service « %(service)s » est acceptée. "
            "Le service démarre le %(start)s.\n\nRetrouvez-la dans Mon espace."
        )
        % {
            "member": locked.member.name,
            "service": locked.service.name,
            "start": subscription.start_date.strftime("%d/%m/%Y"),
        },
    )
    return subscription


@transaction.atomic
def service_request_refuse(*, service_request: ServiceRequest, decided_by, reason: str) -> None:
    if not reason.strip():
        raise ValidationError({"reason": _("Indiquez le motif du refus.")})
    locked = _lock_pending(service_request)
    locked.status = RequestStatus.REFUSED
    locked.decided_by = decided_by
    locked.decided_at = timezone.now()
    locked.decision_reason = reason
    locked.save()
    service_request.refresh_from_db()
    _notify_decision(
        locked,
        _("Votre demande « %(service)s » n'est pas acceptée") % {"service": locked.service.name},
        _(
            "Bonjour,\n\nLa demande de %(member)s pour le service « %(service)s » n'est pas "
            "acceptée, pour ce motif :\n\n%(reason)s\n\nRetrouvez-la dans Mon espace."
        )
        % {"member": locked.member.name, "service": locked.service.name, "reason": reason},
    )


def _notify_decision(service_request: ServiceRequest, subject: str, body: str) -> None:
    notify_on_commit(subject, body, [service_request.requested_by.email])


@transaction.atomic
def service_request_cancel(*, service_request: ServiceRequest) -> None:
    locked = _lock_pending(service_request)
    locked.status = RequestStatus.CANCELLED
    locked.save()
    service_request.refresh_from_db()


@transaction.atomic
def reference_price_set(
    *, service: Service, size_class: str, yearly_price, source: str
) -> ReferencePrice:
    """Sets the « prix seul » of a service for a size class (replacing the one before)."""
    reference, _created = ReferencePrice.objects.select_for_update().get_or_create(
        service=service,
        size_class=size_class,
        defaults={"yearly_cents": 0, "source": ""},
    )
    reference.yearly_cents = int((yearly_price * 100).to_integral_value())
    reference.source = source.strip()
    reference.full_clean()
    reference.save()
    return reference
