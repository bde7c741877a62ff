"""The operator's identity as creditor and ordonnateur (one row, edited in the app).

The checks of the identifiers (SIRET and its Luhn key, IBAN and its mod-97 key, BIC) are
python-stdnum's; the codes of the PES header follow the PES V2 schemas.
"""

import hashlib
import io
import json
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret as stdnum_siret

from mutualis.billing.models import IdentitySnapshot, Invoice, OperatorIdentity

LOGO_MAX_BYTES = 500 * 1024
LOGO_FORMATS = {"PNG", "JPEG"}

# The fields the PES file cannot do without, with the label the refusal names.
PES_REQUIRED = {
    "name": gettext_lazy("nom de l'opérateur"),
    "address": gettext_lazy("adresse"),
    "siret": gettext_lazy("SIRET"),
    "accountant_name": gettext_lazy("comptable public assignataire"),
    "iban": gettext_lazy("IBAN"),
    "bic": gettext_lazy("BIC"),
    "poste_code": gettext_lazy("code du poste comptable"),
    "collectivity_code": gettext_lazy("code collectivité"),
    "budget_code": gettext_lazy("code budget"),
    "nature": gettext_lazy("compte de nature"),
    "product_code": gettext_lazy("code produit local"),
}

POSTE_CODE = re.compile(r"(02[AB][0-9]{3,4}|[0-9]{6,7})")
BUDGET_CODE = re.compile(r"[0-9A-Z][0-9]")


def operator_identity() -> OperatorIdentity:
    """The identity row (an empty one, unsaved, before the first edit)."""
    identity = OperatorIdentity.objects.filter(pk=OperatorIdentity.SINGLETON_PK).first()
    return identity or OperatorIdentity(pk=OperatorIdentity.SINGLETON_PK)


# What an issued titre keeps of the identity (the avis prints it; the logo is kept beside).
SNAPSHOT_FIELDS = (
    "name",
    "address",
    "siret",
    "ordonnateur_name",
    "ordonnateur_title",
    "accountant_name",
    "accountant_address",
    "iban",
    "bic",
    "poste_code",
    "poste_label",
    "collectivity_code",
    "budget_code",
    "budget_label",
    "nature",
    "chapter",
    "function",
    "product_code",
)


def identity_snapshot() -> IdentitySnapshot:
    """The identity as it is now, frozen for the titres issued now (one row per content)."""
    identity = operator_identity()
    data = {field: getattr(identity, field) for field in SNAPSHOT_FIELDS}
    logo = bytes(identity.logo or b"")
    digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode())
    digest.update(b"\0" + logo)
    fingerprint = digest.hexdigest()
    IdentitySnapshot.objects.bulk_create(
        [IdentitySnapshot(fingerprint=fingerprint, data=data, logo=logo)], ignore_conflicts=True
    )
    return IdentitySnapshot.objects.get(fingerprint=fingerprint)


def avis_identity(invoice: Invoice) -> OperatorIdentity:
    """The identity the avis of `invoice` prints: as it was at its issue (unsaved copy), or
    today's for a titre issued before identities were frozen."""
    if invoice.frozen_identity_id is None:
        return operator_identity()
    snapshot = invoice.frozen_identity
    known = {field.name for field in OperatorIdentity._meta.get_fields()}
    values = {key: value for key, value in snapshot.data.items() if key in known}
    return OperatorIdentity(**values, logo=bytes(snapshot.logo or b""))


def missing_for_pes(identity: OperatorIdentity) -> list[str]:
    """The labels of the fields still empty that the PES file needs."""
    return [str(label) for field, label in PES_REQUIRED.items() if not getattr(identity, field)]


def _compact(value: str) -> str:
    return "".join(value.split()).upper()


def clean_siret(value: str) -> str:
    value = _compact(value)
    if not value:
        return ""
    if len(value) != 14 or not value.isdigit():
        raise ValidationError(_("Le SIRET compte 14 chiffres."), code="siret_format")
    if not stdnum_siret.is_valid(value):
        raise ValidationError(_("SIRET invalide (clé de contrôle)."), code="siret_key")
    return value


def clean_iban(value: str) -> str:
    value = _compact(value)
    if not value:
        return ""
    try:
        return stdnum_iban.validate(value)
    except StdnumError as error:
        raise ValidationError(
            _("IBAN invalide (format ou clé de contrôle)."), code="iban"
        ) from error


def clean_bic(value: str) -> str:
    value = _compact(value)
    if not value:
        return ""
    try:
        return stdnum_bic.validate(value)
    except StdnumError as error:
        raise ValidationError(
            _("BIC invalide : 8 ou 11 caractères (banque, pays, lieu, agence)."), code="bic"
        ) from error


def clean_codes(data: dict) -> dict:
    """The PES header codes, each checked against the format the schema wants."""
    errors = {}
    poste = _compact(data.get("poste_code", ""))
    if poste and not POSTE_CODE.fullmatch(poste):
        errors["poste_code"] = _(
            "Le codique du poste compte 6 ou 7 chiffres (ou 02A/02B suivi de 3 ou 4 chiffres)."
        )
    collectivity = data.get("collectivity_code", "").strip()
    if collectivity and not re.fullmatch(r"[0-9]{3}", collectivity):
        errors["collectivity_code"] = _("Le code collectivité compte 3 chiffres.")
    budget = _compact(data.get("budget_code", ""))
    if budget and not BUDGET_CODE.fullmatch(budget):
        errors["budget_code"] = _(
            "Le code budget compte 2 caractères : une majuscule ou un chiffre, puis un chiffre."
        )
    nature = data.get("nature", "").strip()
    if nature and not (nature.isdigit() and int(nature) > 0):
        errors["nature"] = _(
            "Le compte de nature ne s'écrit qu'avec des chiffres (par exemple 70848)."
        )
    function = data.get("function", "").strip()
    if function and not function.isdigit():
        errors["function"] = _("La fonction ne s'écrit qu'avec des chiffres.")
    product = data.get("product_code", "").strip()
    if product and not re.fullmatch(r"[0-9A-Za-z]{1,4}", product):
        errors["product_code"] = _("Le code produit compte 1 à 4 lettres ou chiffres, sans accent.")
    if errors:
        raise ValidationError(errors)
    cleaned = {
        "poste_code": poste,
        "collectivity_code": collectivity,
        "budget_code": budget,
        "nature": nature,
        "function": function,
        "product_code": product,
    }
    return {**data, **{key: value for key, value in cleaned.items() if key in data}}


def clean_logo(content: bytes) -> bytes:
    """A PNG or JPEG image of at most 500 Ko, read by Pillow."""
    from PIL import Image, UnidentifiedImageError

    if len(content) > LOGO_MAX_BYTES:
        raise ValidationError(_("Le logo pèse plus de 500 Ko."), code="logo_size")
    try:
        with Image.open(io.BytesIO(content)) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise ValidationError(_("Ce fichier n'est pas une image lisible."), code="logo") from error
    if image_format not in LOGO_FORMATS:
        raise ValidationError(_("Le logo doit être une image PNG ou JPEG."), code="logo_format")
    return content


@transaction.atomic
def identity_update(
    *, logo: bytes | None = None, remove_logo: bool = False, **fields
) -> OperatorIdentity:
    """Saves the identity after the same checks as the form (SIRET, IBAN, BIC, PES codes)."""
    errors = {}
    for field, clean in (("siret", clean_siret), ("iban", clean_iban), ("bic", clean_bic)):
        if field in fields:
            try:
                fields[field] = clean(fields[field] or "")
            except ValidationError as error:
                errors[field] = error.messages
    try:
        fields = clean_codes(fields)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    identity = operator_identity()
    for field, value in fields.items():
        setattr(identity, field, value.strip() if isinstance(value, str) else value)
    if logo is not None:
        identity.logo = clean_logo(logo)
    elif remove_logo:
        identity.logo = b""
    identity.full_clean()
    identity.save()
    return identity
