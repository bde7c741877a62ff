"""Operator staff roles and what each may do. One table, read everywhere."""

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
    MANAGE_USERS = "manage_users"


ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    OperatorRole.ADMINISTRATOR: frozenset(Capability),
    OperatorRole.MANAGER: frozenset(
        {
            Capability.VIEW_ALL,
            Capability.MANAGE_MEMBERS,
            Capability.MANAGE_CATALOG,
            Capability.DECIDE_REQUESTS,
        }
    ),
    OperatorRole.ACCOUNTANT: frozenset(
        {Capability.VIEW_ALL, Capability.MANAGE_BILLING, Capability.MANAGE_MEMBERS}
    ),
    OperatorRole.TECHNICIAN: frozenset({Capability.VIEW_ALL}),
    OperatorRole.READ_ONLY: frozenset({Capability.VIEW_ALL}),
}


def has_capability(user, capability: Capability) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True  # the account created by `createsuperuser` administers the instance
    role = getattr(user, "operator_role", "")
    return capability in ROLE_CAPABILITIES.get(role, frozenset())
