"""The worked example of docs/billing.md (« Exemple : le rôle ORMC de 2026 »), replayed: the
articles of the rôle, their sub-articles and amounts, to the cent."""

import datetime as dt
from pathlib import Path

from lxml import etree

from mutualis.billing.models import Invoice, PesMode
from mutualis.billing.money import format_euros
from mutualis.billing.services import transmissions
from mutualis.billing.services.identity import identity_update
from mutualis.billing.services.invoices import invoices_issue
from mutualis.billing.tests.conftest import COMMUNE_ADDRESSES, computed_run

GUIDE = Path(__file__).resolve().parents[3] / "docs" / "billing.md"
TITLE = "### Exemple : le rôle ORMC de 2026"


def normalize(text: str) -> str:
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


def expected_rows() -> list[list[str]]:
    section = GUIDE.read_text(encoding="utf-8").split(TITLE, 1)[1].split("\n#", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")][2:]
    return [[normalize(c) for c in row.strip("|").split("|")] for row in rows]


def test_the_ormc_example_of_the_guide(identity, world):
    for member, name, address in zip(world["communes"], "ABC", COMMUNE_ADDRESSES, strict=True):
        member.name = f"Commune {name}"
        member.address = address
        member.save(update_fields=["name", "address"])
    run = computed_run(world, validate=True)
    invoices_issue(run=run, issued_on=dt.date(2026, 11, 16))
    identity_update(pes_mode=PesMode.ORMC)
    transmission = transmissions.pes_transmit(invoices=Invoice.objects.all())
    assert transmission.file_name == "PES_ORMC_14200_2026_R1.xml"
    root = etree.fromstring(bytes(transmission.content))
    rows = []
    for piece in root.iter("Piece"):
        article = piece.find("BlocPiece/IdPce").get("V")
        titre = Invoice.objects.get(transmitted__article=int(article))
        amounts = [
            int(m.get("V").replace(".", ""))
            for m in piece.iterfind("LigneDePiece/BlocLignePiece/*/MtHT")
        ]
        rows.append(
            [
                article,
                titre.reference,
                titre.payer_name,
                str(len(amounts)),
                normalize(format_euros(sum(amounts))),
            ]
        )
    total = root.find("PES_RecetteAller/Bordereau/BlocBordereau/MtBordHt").get("V")
    rows.append(["rôle n° 1", "", "", "", normalize(format_euros(int(total.replace(".", ""))))])
    assert rows == expected_rows()
