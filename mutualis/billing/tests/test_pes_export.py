"""The PES V2 recette file (PES_Aller) of the titres, as Hélios reads it: valid against the
DGFiP schemas (5.17) and true to the rules the schemas cannot check."""

import base64
import datetime as dt
import gzip
import re
from collections import Counter

import pytest
from lxml import etree

from mutualis.billing.models import Invoice
from mutualis.billing.services import pes
from mutualis.billing.services.identity import identity_update
from mutualis.billing.services.invoices import invoices_issue
from mutualis.billing.tests.conftest import prepare_pes


def build(run) -> etree._Element:
    _name, content = pes.pes_recette(run.invoices.all())
    return etree.fromstring(content)


def cents(element) -> int:
    value = element.get("V")
    assert re.fullmatch(r"\d{1,12}\.\d{2}", value), f"not the schema's decimal: {value!r}"
    return int(value.replace(".", ""))


def test_the_file_is_valid_against_the_official_schemas(identity, issued_titres, pes_schema):
    pes_schema.assertValid(build(issued_titres))


def test_the_file_is_iso_8859_1_and_keeps_the_accents(identity, issued_titres):
    _name, content = pes.pes_recette(issued_titres.invoices.all())
    assert content.startswith(b"<?xml version='1.0' encoding='ISO-8859-1'?>")
    assert "Créon".encode("latin-1") in content
    assert "Créon".encode() not in content
    root = etree.fromstring(content)
    assert root.find(".//Ville[@V='Créon']") is not None


def test_pieces_add_up_to_their_bordereau_to_the_cent(identity, issued_titres):
    root = build(issued_titres)
    titres = Invoice.objects.filter(run=issued_titres, kind="invoice")
    for bordereau in root.iter("Bordereau"):
        pieces = bordereau.findall("Piece")
        total = cents(bordereau.find("BlocBordereau/MtBordHt"))
        lines = [cents(m) for m in bordereau.iterfind("Piece/LigneDePiece/BlocLignePiece/*/MtHT")]
        assert sum(lines) == total
        assert int(bordereau.find("BlocBordereau/NbrPce").get("V")) == len(pieces)
    assert sum(cents(m) for m in root.iter("MtBordHt")) == sum(t.total_cents for t in titres)


def test_one_bordereau_per_exercise_and_issuing_with_unique_piece_numbers(
    identity, issued_titres, world
):
    root = build(issued_titres)
    bordereaux = root.findall("PES_RecetteAller/Bordereau")
    assert len(bordereaux) == 1  # one exercise, one budget, issued at once
    keys = [
        (b.find("BlocBordereau/Exer").get("V"), b.find("BlocBordereau/IdBord").get("V"))
        for b in bordereaux
    ]
    assert len(set(keys)) == len(keys)
    for bordereau in bordereaux:
        numbers = [p.get("V") for p in bordereau.iterfind("Piece/BlocPiece/IdPce")]
        assert len(numbers) == len(set(numbers))


def test_a_second_issuing_is_a_second_bordereau_with_the_cumulative_total(identity, world):
    from mutualis.billing.tests.conftest import COMMUNE_ADDRESSES, computed_run

    for member, address in zip(world["communes"], COMMUNE_ADDRESSES, strict=True):
        member.address = address
        member.save(update_fields=["address"])
    run = computed_run(world, validate=True)
    day = dt.date(2026, 11, 16)
    invoices_issue(run=run, issued_on=day, payer_ids=[world["communes"][1].pk])
    invoices_issue(run=run, issued_on=day + dt.timedelta(days=3))
    root = build(run)
    blocs = root.findall("PES_RecetteAller/Bordereau/BlocBordereau")
    assert [b.find("IdBord").get("V") for b in blocs] == ["1", "2"]
    totals = [cents(b.find("MtBordHt")) for b in blocs]
    assert [cents(b.find("MtCumulAnnuel")) for b in blocs] == [totals[0], sum(totals)]
    assert sum(totals) == sum(i.total_cents for i in run.invoices.all())


def test_each_avis_travels_with_its_piece(identity, issued_titres):
    root = build(issued_titres)
    attachments = {pj.find("IdUnique").get("V"): pj for pj in root.iterfind("PES_PJ/PJ")}
    references = [r.get("V") for r in root.iterfind(".//BlocPiece/PJRef/IdUnique")]
    assert sorted(references) == sorted(attachments)
    for piece in root.iter("Piece"):
        pj = attachments[piece.find("BlocPiece/PJRef/IdUnique").get("V")]
        assert pj.find("RefCompta/Identifiant").get("V") == piece.find("BlocPiece/IdPce").get("V")
        pdf = gzip.decompress(base64.b64decode(pj.find("Contenu/Fichier").text))
        assert pdf.startswith(b"%PDF")


def test_the_header_comes_from_the_operator_identity(identity, issued_titres):
    header = build(issued_titres).find("EnTetePES")
    values = {child.tag: child.get("V") for child in header}
    assert values["IdColl"] == "25330100600016"
    assert values["IdPost"] == "033060"
    assert (values["CodCol"], values["CodBud"]) == ("142", "00")
    assert {n.get("V") for n in header.getparent().iter("Nature")} == {"70848"}


def test_an_incomplete_identity_is_refused_naming_what_is_missing(db, issued_titres):
    identity_update(name="Syndicat", siret="25330100600016")
    with pytest.raises(pes.PesError) as error:
        pes.pes_recette(issued_titres.invoices.all())
    message = " ".join(error.value.messages)
    assert "code du poste comptable" in message and "IBAN" in message
    assert "SIRET" not in message


def test_a_payer_without_postcode_is_named(identity, world):
    from mutualis.billing.tests.conftest import computed_run

    run = computed_run(world, validate=True)
    invoices_issue(run=run, issued_on=dt.date(2026, 11, 16))
    with pytest.raises(pes.PesError, match="2026-T-00001"):
        pes.pes_recette(run.invoices.all())


def test_the_accountant_downloads_the_file_of_the_run(client, accountant, identity, issued_titres):
    client.force_login(accountant)
    response = prepare_pes(client, f"/operateur/facturation/calculs/{issued_titres.pk}/pes.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=ISO-8859-1"
    assert 'filename="PES_recette_14200_2026_B1.xml"' in response["Content-Disposition"]
    assert response.content.count(b"<Piece>") == 3


def test_without_identity_the_page_says_what_to_fill_in(client, accountant, issued_titres):
    client.force_login(accountant)
    response = prepare_pes(client, f"/operateur/facturation/calculs/{issued_titres.pk}/pes.xml")
    text = response.content.decode()
    assert "Identité de l&#x27;opérateur incomplète" in text
    assert "SIRET" in text


def test_latin1_folds_what_iso_8859_1_lacks():
    assert pes.latin1("L’œuvre — 12\u202f€ «ok»") == "L'oeuvre - 12 EUR «ok»"
    assert Counter(pes.amount(c) for c in (1, 10, 123456)) == {"0.01": 1, "0.10": 1, "1234.56": 1}


def test_the_sender_card_names_the_software_and_the_header_the_operator(identity, issued_titres):
    """The schema's Emetteur is the software's card (Class_Enveloppe.xsd, TCarteVisite: Sigle
    « Nom de l'éditeur émetteur du flux », Adresse « Nom et version de l'application »); the
    operator is EnTetePES, from its identity settings."""
    from importlib import metadata

    _name, content = pes.pes_recette(issued_titres.invoices.all())
    root = etree.fromstring(content)
    card = {child.tag: child.get("V") for child in root.find("Enveloppe/Emetteur")}
    assert card == {"Sigle": "MUTUALIS", "Adresse": f"Mutualis {metadata.version('mutualis')}"}
    header = {child.tag: child.get("V") for child in root.find("EnTetePES")}
    assert header["IdColl"] == identity.siret
    assert header["IdPost"] == identity.poste_code
    assert header["LibellePoste"] == identity.poste_label
    assert (header["CodCol"], header["CodBud"]) == (
        identity.collectivity_code,
        identity.budget_code,
    )
    assert header["LibelleColBud"] == identity.budget_label
