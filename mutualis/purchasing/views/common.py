from django.contrib import messages
from django.core.exceptions import ValidationError

from mutualis.core.roles import Capability, has_capability

WRITE = Capability.MANAGE_PURCHASING


def can_write(user) -> bool:
    return has_capability(user, WRITE)


def flash_error(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))
