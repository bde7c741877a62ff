"""What the two PES V2 recette files share (PES_Aller, DGFiP schemas 5.17): the text folded to
ISO-8859-1, the schema's amounts, the payer's postal address, the envelope, the header, the
debtor (Tiers) and the check of the operator's identity.

The ordinary file (TypFic PESALR1, titres on bordereaux 01/02) is in ordinary.py, the rôle
(TypFic PESORMC, bordereau 06) in ormc.py.
"""

import base64
import datetime as dt
import gzip
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from importlib import metadata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from lxml import etree

from mutualis.billing.models import Invoice, InvoiceKind, OperatorIdentity
from mutualis.billing.services.identity import missing_for_pes
from mutualis.billing.services.pdf import invoice_object, invoice_pdf
from mutualis.members.models import EstablishmentKind, MemberKind

NAMESPACE = "http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/aller"
ENCODING = "ISO-8859-1"
APPLICATION = "Mutualis"

DOMAINE_RECETTE = "02"

# Catégorie of the debtor (CatTiers); its nature juridique is always 09, « collectivité
# territoriale / EPL / EPS ».
CATEGORY_BY_KIND = {
    MemberKind.REGION: "21",
    MemberKind.DEPARTEMENT: "22",
    MemberKind.COMMUNE: "23",
    MemberKind.EPCI: "24",
}
CATEGORY_BY_ESTABLISHMENT = {EstablishmentKind.CCAS: "26", EstablishmentKind.SYNDICATE: "24"}
OTHER_PUBLIC_BODY = "29"
NATURE_JURIDIQUE_COLLECTIVITE = "09"

POSTCODE_LINE = re.compile(r"^\s*(\d{5})\s+(.+?)\s*$")

LATIN1_REPLACEMENTS = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2026": "...",
        "\u202f": " ",
        "\u2009": " ",
        "\u00a0": " ",
        "\u0153": "oe",
        "\u0152": "OE",
        "\u20ac": "EUR",
        "\u2192": "->",
    }
)


class PesError(ValidationError):
    """The file cannot be built: the message says what to complete."""


def latin1(text: str, limit: int | None = None) -> str:
    """`text` in ISO-8859-1 (accents kept, typographic signs folded), on one line."""
    text = " ".join(str(text).translate(LATIN1_REPLACEMENTS).split())
    folded = []
    for character in text:
        try:
            character.encode("latin-1")
        except UnicodeEncodeError:
            character = unicodedata.normalize("NFKD", character).encode("latin-1", "ignore")
            character = character.decode("latin-1") or "?"
        folded.append(character)
    result = "".join(folded)
    return result[:limit].rstrip() if limit else result


def amount(cents: int) -> str:
    """Integer cents in the schema's decimal: « 1234.50 » (dot, two decimals)."""
    return f"{Decimal(int(cents)).scaleb(-2):.2f}"


@dataclass(frozen=True)
class PostalAddress:
    complement: str  # Adr1
    street: str  # Adr2
    locality: str  # Adr3
    postcode: str
    city: str


def postal_address(text: str) -> PostalAddress | None:
    """The address typed on the payer, read as postal lines: the last line « 33000 Ville »,
    the street the first line starting with a number (else the line before the last)."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(lines) < 2:
        return None
    match = POSTCODE_LINE.match(lines[-1])
    if not match:
        return None
    rest = lines[:-1]
    street_index = next((i for i, line in enumerate(rest) if line[:1].isdigit()), len(rest) - 1)
    return PostalAddress(
        complement=" ".join(rest[:street_index]),
        street=rest[street_index],
        locality=" ".join(rest[street_index + 1 :]),
        postcode=match.group(1),
        city=match.group(2),
    )


def el(parent, tag: str, value=None, **attributes):
    element = etree.SubElement(parent, tag, **attributes)
    if value is not None:
        element.set("V", str(value))
    return element


def el_text(parent, tag: str, value: str, limit: int):
    text = latin1(value, limit)
    if text:
        el(parent, tag, text)


def pj_identifier(invoice: Invoice) -> str:
    """The unique reference of the avis attached to a titre (letters and digits only)."""
    return f"ASAP{invoice.year}{invoice.series}{invoice.number:08d}"


def pj_file_name(invoice: Invoice) -> str:
    return f"avis-{invoice.reference}.pdf"


def titre_lines(invoice: Invoice) -> list[tuple[str, int]]:
    """The lines of a titre (or titre complémentaire) as the file numbers them (IdLigne 1, 2…):
    its non-zero lines, or, when one is negative (a titre complémentaire whose services move
    both ways), one line of its total, the avis giving the detail (MtHT is never negative)."""
    lines = [(line.label, line.amount_cents) for line in invoice.lines.all() if line.amount_cents]
    if any(cents < 0 for _label, cents in lines):
        return [(f"{invoice.reference} {invoice_object(invoice)}", invoice.total_cents)]
    return lines


def payer_problems(invoice: Invoice) -> list[str]:
    """What keeps `invoice` out of a PES file because of its payer (French, naming it)."""
    if postal_address(invoice.payer_address) is None:
        return [
            _("%(ref)s : adresse du payeur sans ligne « code postal commune »")
            % {"ref": invoice.reference}
        ]
    return []


def encoded_pdf(pdf: bytes) -> str:
    """The avis as its PJ holds it: gzipped then base64, as the schema asks."""
    return base64.b64encode(gzip.compress(pdf, mtime=0)).decode("ascii")


def attach_pdf(fichier, pdf: bytes) -> None:
    """The avis in its PJ (MIMEType of the PDF)."""
    fichier.text = encoded_pdf(pdf)


def attach_avis(fichier, invoice: Invoice, avis: dict[int, str] | None) -> None:
    """The avis of `invoice` in its PJ: the one rendered beforehand (`avis`, by invoice id,
    already encoded), else rendered now (as issued: its frozen identity)."""
    if avis is not None and invoice.pk in avis:
        fichier.text = avis[invoice.pk]
    else:
        attach_pdf(fichier, invoice_pdf(invoice))


def pj_description(invoice: Invoice) -> str:
    values = {
        "ref": invoice.reference,
        "orig": invoice.original.reference if invoice.original_id else "",
    }
    if invoice.kind == InvoiceKind.COMPLEMENTARY:
        text = _("Avis des sommes à payer du titre complémentaire %(ref)s (au titre %(orig)s)")
    elif invoice.kind == InvoiceKind.REDUCTION:
        text = _("Avis de réduction %(ref)s du titre %(orig)s")
    elif invoice.kind == InvoiceKind.CANCELLATION:
        text = _("Avis d'annulation %(ref)s du titre %(orig)s")
    else:
        text = _("Avis des sommes à payer du titre %(ref)s")
    return text % values


def check_identity(identity: OperatorIdentity) -> None:
    missing = missing_for_pes(identity)
    if missing:
        raise PesError(
            _(
                "Identité de l'opérateur incomplète pour le fichier PES : renseignez %(fields)s "
                "(Facturation › Identité de l'opérateur)."
            )
            % {"fields": ", ".join(missing)}
        )


def application_version() -> str:
    try:
        return metadata.version("mutualis")
    except metadata.PackageNotFoundError:
        return "0"


def enveloppe(root, file_name: str, file_type: str) -> None:
    enveloppe = el(root, "Enveloppe")
    parametres = el(enveloppe, "Parametres")
    el(parametres, "Version", 2)
    el(parametres, "TypFic", file_type)
    el(parametres, "NomFic", file_name[:100])
    # The schema's « carte de visite » of the sender is the software's: Sigle « Nom de
    # l'éditeur émetteur du flux », Adresse « Nom et version de l'application »
    # (Class_Enveloppe.xsd, TCarteVisite). The operator is named by EnTetePES (its SIRET, its
    # collectivité and budget codes and label, its poste comptable).
    emetteur = el(enveloppe, "Emetteur")
    el(emetteur, "Sigle", APPLICATION.upper())
    el(emetteur, "Adresse", latin1(f"{APPLICATION} {application_version()}", 38))


def header(root, identity: OperatorIdentity, today: dt.date) -> None:
    header = el(root, "EnTetePES")
    el(header, "DteStr", today.isoformat())
    el(header, "IdPost", identity.poste_code)
    el_text(header, "LibellePoste", identity.poste_label, 38)
    el(header, "IdColl", identity.siret)
    el(header, "CodCol", identity.collectivity_code)
    el(header, "CodBud", identity.budget_code)
    el_text(header, "LibelleColBud", identity.budget_label or identity.name, 38)


def tiers(parent, invoice: Invoice) -> None:
    member = invoice.member
    tiers = el(parent, "Tiers")
    info = el(tiers, "InfoTiers")
    if invoice.payer_siren:
        el(info, "IdTiers", invoice.payer_siren)
        el(info, "NatIdTiers", "02")  # SIREN
    el(info, "RefTiers", f"M{member.pk}")
    category = CATEGORY_BY_KIND.get(member.kind) or CATEGORY_BY_ESTABLISHMENT.get(
        member.establishment_kind, OTHER_PUBLIC_BODY
    )
    el(info, "CatTiers", category)
    el(info, "NatJur", NATURE_JURIDIQUE_COLLECTIVITE)
    el(info, "TypTiers", "01")  # débiteur principal
    name = latin1(invoice.payer_name)
    el(info, "Nom", name[:38].rstrip())
    el_text(info, "ComplNom", name[38:], 38)
    address = postal_address(invoice.payer_address)
    assert address is not None  # checked before building
    block = el(tiers, "Adresse")
    el(block, "TypAdr", "1")
    el_text(block, "Adr1", address.complement, 38)
    el(block, "Adr2", latin1(address.street, 38))
    el_text(block, "Adr3", address.locality, 38)
    el(block, "CP", address.postcode)
    el(block, "Ville", latin1(address.city, 38))
    el(block, "CodRes", 0)


def new_root():
    """The PES_Aller root: only it is in the namespace, its children are unqualified."""
    return etree.Element(f"{{{NAMESPACE}}}PES_Aller", nsmap={"n": NAMESPACE})


def serialize(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding=ENCODING, pretty_print=True)
