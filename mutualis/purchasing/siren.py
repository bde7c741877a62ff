"""The SIREN of a French company: 9 digits whose Luhn checksum is right."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# La Poste's SIREN predates the Luhn key: its digits add up to a multiple of 5 instead.
LA_POSTE_SIREN = "356000000"


def siren_is_valid(value: str) -> bool:
    """True for 9 digits passing the Luhn check (and for La Poste's historical SIREN)."""
    if not isinstance(value, str) or len(value) != 9 or not value.isdigit():
        return False
    if value == LA_POSTE_SIREN:
        return True
    total = 0
    for position, char in enumerate(reversed(value)):
        digit = int(char)
        if position % 2:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def validate_siren_key(value: str) -> None:
    """Model and form validator; the 9-digit format is checked separately."""
    if value and len(value) == 9 and value.isdigit() and not siren_is_valid(value):
        raise ValidationError(_("SIREN invalide (clé de contrôle)."), code="siren_key")
