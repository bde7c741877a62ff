"""Operator staff roles and what each may do. One table, read everywhere."""

from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class OperatorRole(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrateur")
    MANAGER = "manager", _("Responsable de services")
    ACCOUNTANT = "accountant", _("Comptable")
    TECHNICIAN = "technician", _("Technicien")
    READ_ONLY = "read_only", _("Lecture seule")


class Capability(StrEnum):
    VIEW_ALL = "view_all"
    MANAGE_MEMBERS = "manage_members"
    MANAGE_CATALOG = "manage_catalog"
    DECIDE_REQUESTS = "decide_requests"
    MANAGE_BILLING = "manage_billing"
    MANAGE_USERS = "manage_users"  # give member agents access to a member, or take it back
    MANAGE_PURCHASING = "manage_purchasing"  # campaigns, lots, offers, award, needs, orders
    MANAGE_STAFFING = "manage_staffing"  # agreements, planning, absences; log anyone's days
    LOG_WORK = "log_work"  # log days in the work log (a technician: only their own)
    MANAGE_IOT = "manage_iot"  # gateways, sensors, their maintenance and import
    MANAGE_GOVERNANCE = "manage_governance"  # bodies, meetings, convocations, délibérations
    MANAGE_SURVEYS = "manage_surveys"  # survey campaigns: invitations, sending, reminders
    VIEW_AUDIT = "view_audit"  # search the audit trail (the administrator)
    MANAGE_SUPPORT = "manage_support"  # GLPI connection, entity mapping, synchronisation


ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    OperatorRole.ADMINISTRATOR: frozenset(Capability),
    OperatorRole.MANAGER: frozenset(
        {
            Capability.VIEW_ALL,
            Capability.MANAGE_MEMBERS,
            Capability.MANAGE_CATALOG,
            Capability.DECIDE_REQUESTS,
            Capability.MANAGE_USERS,
            Capability.MANAGE_PURCHASING,
            Capability.MANAGE_STAFFING,
            Capability.LOG_WORK,
            Capability.MANAGE_IOT,
            Capability.MANAGE_GOVERNANCE,
            Capability.MANAGE_SUPPORT,
            Capability.MANAGE_SURVEYS,
        }
    ),
    OperatorRole.ACCOUNTANT: frozenset(
        {Capability.VIEW_ALL, Capability.MANAGE_BILLING, Capability.MANAGE_MEMBERS}
    ),
    OperatorRole.TECHNICIAN: frozenset({Capability.VIEW_ALL, Capability.LOG_WORK}),
    OperatorRole.READ_ONLY: frozenset({Capability.VIEW_ALL}),
}


def has_capability(user, capability: Capability) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True  # the account created by `createsuperuser` administers the instance
    role = getattr(user, "operator_role", "")
    return capability in ROLE_CAPABILITIES.get(role, frozenset())


def is_operator_staff(user) -> bool:
    return has_capability(user, Capability.VIEW_ALL)


@dataclass(frozen=True)
class WriteRule:
    """Who may make one kind of write, in pages and API alike.

    Operator staff need `capability` (None: no operator role may). Member agents may only if
    `agents` is set, and only for the members they see: the page or endpoint looks the
    member and its objects up through `visible_to(user)`, so another member's are a 404.
    """

    capability: Capability | None = None
    agents: bool = False

    def allows(self, user) -> bool:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return False
        if is_operator_staff(user):
            return self.capability is not None and has_capability(user, self.capability)
        return self.agents and acts_for_a_member(user)


def acts_for_a_member(user) -> bool:
    """An agent who works for a member, not only one of its élus: a member's élus read what
    pooling brings it (the élus' pages, « Mon espace ») but make none of its agents' writes."""
    cached = getattr(user, "_acts_for_a_member", None)
    if cached is None:
        cached = user.agent_accesses.filter(is_elected=False).exists()
        user._acts_for_a_member = cached
    return cached


def operators_with(capability: Capability) -> WriteRule:
    """A write of the operator's staff only: member agents never make it."""
    return WriteRule(capability=capability)


def agents_and(capability: Capability | None) -> WriteRule:
    """A write the member's own agents make from « Mon espace » (and the operator's staff
    who hold `capability` for them; None: agents only)."""
    return WriteRule(capability=capability, agents=True)


# What member agents may write, for their own members: the writes of « Mon espace », the same
# through the API. Every other write belongs to the operator's staff.
SERVICE_REQUEST = agents_and(Capability.DECIDE_REQUESTS)  # ask for a service, cancel the ask
PURCHASING_ANSWER = agents_and(Capability.MANAGE_PURCHASING)  # needs, withdrawal, orders
WORK_LOG_REVIEW = agents_and(None)  # acknowledge or contest a day of the shared technician
ALERT_ACKNOWLEDGE = agents_and(Capability.MANAGE_IOT)  # take an alert into account
MONITORING_CONSENT = agents_and(None)  # record or withdraw the consent of a monitored home
SURVEY_ANSWER = agents_and(None)  # the member's answer to a survey: its own agents only
