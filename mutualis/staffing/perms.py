"""Who may do what on the shared staff, on top of the operator roles."""

from mutualis.core.roles import Capability, OperatorRole, has_capability

# Planning, agreements, absences, and logging for anyone: the service managers (and
# administrators).
PLAN = Capability.MANAGE_STAFFING
# Logging days in the work log: planners for anyone, a technician for their own days.
LOG = Capability.LOG_WORK
# Turning days into usage records: billing.
POST_USAGE = Capability.MANAGE_BILLING


def can_plan(user) -> bool:
    return has_capability(user, PLAN)


def can_log_for(user, technician) -> bool:
    """A technician logs their own days; planners log for anyone."""
    if not has_capability(user, LOG):
        return False
    return can_plan(user) or technician.user_id == user.pk


def can_log(user) -> bool:
    """May open the logging form at all."""
    if not has_capability(user, LOG):
        return False
    return can_plan(user) or (
        user.operator_role == OperatorRole.TECHNICIAN and hasattr(user, "technician")
    )
