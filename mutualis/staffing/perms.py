"""Who may do what on the shared staff, on top of the operator roles."""

from mutualis.core.roles import Capability, OperatorRole, has_capability

# Planning, agreements and logging for anyone: the service managers (and administrators).
PLAN = Capability.MANAGE_MEMBERS
# Turning days into usage records: billing.
POST_USAGE = Capability.MANAGE_BILLING


def can_plan(user) -> bool:
    return has_capability(user, PLAN)


def can_log_for(user, technician) -> bool:
    """A technician logs their own days; planners log for anyone."""
    if can_plan(user):
        return True
    return (
        has_capability(user, Capability.VIEW_ALL)
        and user.operator_role == OperatorRole.TECHNICIAN
        and technician.user_id == user.pk
    )


def can_log(user) -> bool:
    """May open the logging form at all."""
    return can_plan(user) or (
        has_capability(user, Capability.VIEW_ALL)
        and user.operator_role == OperatorRole.TECHNICIAN
        and hasattr(user, "technician")
    )
