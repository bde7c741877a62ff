"""The rôle ORMC (PES_Aller, TypFic PESORMC): valid against the DGFiP schemas (5.17) and true
to the ORMC rules the schemas only write in their documentation."""

import datetime as dt
import re

import pytest
from lxml import etree

from mutualis.billing.models import Invoice, InvoiceKind, PesMode, PesTransmittedDocument
from mutualis.billing.services import transmissions
from mutualis.billing.services.identity import identity_update
from mutualis.billing.services.invoices import invoice_correct, invoices_issue
from mutualis.billing.services.pes import PesError
from mutualis.billing.tests.conftest import COMMUNE_ADDRESSES, computed_run, prepare_pes
from mutualis.billing.tests.test_pes_corrections import corrected  # noqa: F401 (fixture)

BASE = "/operateur/facturation"


@pytest.fixture
def ormc(identity):
    return identity_update(pes_mode=PesMode.ORMC)


def transmit(invoices, **kwargs):
    transmission = transmissions.pes_transmit(invoices=invoices, **kwargs)
    return transmission, etree.fromstring(bytes(transmission.content))


def cents(element) -> int:
    value = element.get("V")
    assert re.fullmatch(r"\d{1,12}\.\d{2}", value), value
    return int(value.replace(".", ""))


def values(element) -> dict:
    return {child.tag: child.get("V") for child in element}


def test_the_role_is_valid_against_the_official_schemas(ormc, issued_titres, pes_schema):
    _transmission, root = transmit(issued_titres.invoices.all())
    pes_schema.assertValid(root)
    assert root.find("Enveloppe/Parametres/TypFic").get("V") == "PESORMC"


def test_one_role_of_type_06_whose_articles_add_up_to_it(ormc, issued_titres):
    transmission, root = transmit(issued_titres.invoices.all())
    roles = root.findall("PES_RecetteAller/Bordereau")
    assert len(roles) == 1  # one exercise, one budget
    bloc = values(roles[0].find("BlocBordereau"))
    assert (bloc["Exer"], bloc["TypBord"], bloc["IdBord"]) == ("2026", "06", "1")
    assert "MtCumulAnnuel" not in bloc  # not asked of a rôle
    articles = roles[0].findall("Piece")
    assert int(bloc["NbrPce"]) == len(articles) == 3
    lines = [cents(m) for m in roles[0].iterfind("Piece/LigneDePiece/BlocLignePiece/*/MtHT")]
    titres = Invoice.objects.filter(run=issued_titres)
    assert sum(lines) == cents(roles[0].find("BlocBordereau/MtBordHt"))
    assert sum(lines) == sum(t.total_cents for t in titres) == transmission.total_cents
    assert transmission.bordereaux == [[2026, "06", 1]]
    assert transmission.file_name == "PES_ORMC_14200_2026_R1.xml"


def test_each_article_is_a_mono_debtor_titre_ormc_with_its_avis_to_edit(ormc, issued_titres):
    _transmission, root = transmit(issued_titres.invoices.all())
    attachments = {pj.find("IdUnique").get("V"): pj for pj in root.iterfind("PES_PJ/PJ")}
    by_article = {
        row.article: row.invoice for row in PesTransmittedDocument.objects.select_related("invoice")
    }
    for number, piece in enumerate(root.iter("Piece"), start=1):
        bloc = piece.find("BlocPiece")
        info = values(bloc)
        assert (info["IdPce"], info["TypPce"], info["NatPce"]) == (str(number), "15", "01")
        assert info["Edition"] == "06"
        titre = by_article[number]
        assert info["NumDette"] == f"2026{titre.number:08d}"
        # the keys are left to Hélios: no published algorithm to compute them (docs)
        assert bloc.find("Cle1") is None and bloc.find("Cle2") is None
        debtors = {etree.tostring(tiers) for tiers in piece.iterfind("LigneDePiece/Tiers")}
        assert len(debtors) == 1  # mono-débiteur
        assert piece.find("LigneDePiece/Tiers/InfoTiers/IdTiers").get("V") == titre.payer_siren
        assert {n.get("V") for n in piece.iter("Nature")} == {"588"}
        sub_articles = [i.get("V") for i in piece.iterfind("LigneDePiece/*/*/IdLigne")]
        assert sub_articles == [str(i) for i in range(1, len(sub_articles) + 1)]
        reference = values(bloc.find("PJRef"))
        assert reference["TypePJ"] == "010"
        pj = attachments[reference["IdUnique"]]
        assert pj.find("TypePJ").get("V") == "010"
        assert values(pj.find("RefCompta")) == {
            "Domaine": "02",
            "Exercice": "2026",
            "TypeObjet": "06",
            "Identifiant": "1",
            "ComplementIdentifiant": str(number),
        }


def test_roles_are_numbered_per_exercise_without_gaps(ormc, world):
    for member, address in zip(world["communes"], COMMUNE_ADDRESSES, strict=True):
        member.address = address
        member.save(update_fields=["address"])
    run = computed_run(world, validate=True)
    day = dt.date(2026, 11, 16)
    first_payer, second_payer, third_payer = (m.pk for m in world["communes"])
    invoices_issue(run=run, issued_on=day, payer_ids=[first_payer])
    first, _root = transmit(run.invoices.all())
    # a file refused (a payer without postcode) takes no rôle number
    second_member = world["communes"][1]
    second_member.address = "Mairie sans code postal"
    second_member.save(update_fields=["address"])
    invoices_issue(run=run, issued_on=day, payer_ids=[second_payer])
    with pytest.raises(PesError, match="code postal"):
        transmit(run.invoices.all())
    invoices_issue(run=run, issued_on=day, payer_ids=[third_payer])
    third = Invoice.objects.get(member_id=third_payer)
    second, root = transmit(Invoice.objects.filter(pk=third.pk))
    assert [b[2] for b in first.bordereaux + second.bordereaux] == [1, 2]
    assert root.find("PES_RecetteAller/Bordereau/BlocBordereau/IdBord").get("V") == "2"


def test_reductions_stay_out_of_the_role_and_are_listed(ormc, issued_titres, client, accountant):
    titre = issued_titres.invoices.order_by("number").first()
    reduction = invoice_correct(
        original=titre,
        kind=InvoiceKind.REDUCTION,
        amount_cents=1000,
        reason="Erreur de quantité",
        issued_on=dt.date(2026, 11, 20),
    )
    transmission, root = transmit(Invoice.objects.all())
    assert transmission.document_count == 3
    assert not PesTransmittedDocument.objects.filter(invoice=reduction).exists()
    assert root.find(".//TypBord[@V='02']") is None
    client.force_login(accountant)
    page = client.get(f"{BASE}/transmissions/").content.decode()
    assert reduction.reference in page and "article de rôle" in page
    assert transmission.file_name in page


def test_the_accountant_chooses_the_role_on_the_identity_page(
    client, accountant, identity, issued_titres
):
    from mutualis.billing.tests.conftest import IDENTITY

    client.force_login(accountant)
    page = client.get(f"{BASE}/identite/").content.decode()
    assert "rôle ORMC (PESORMC)" in page and "titres ordinaires (PESALR1)" in page
    assert client.post(f"{BASE}/identite/", {**IDENTITY, "pes_mode": "PESORMC"}).status_code == 302
    response = prepare_pes(client, f"{BASE}/calculs/{issued_titres.pk}/pes.xml")
    assert response.status_code == 200
    assert 'filename="PES_ORMC_14200_2026_R1.xml"' in response["Content-Disposition"]
    assert b'<TypFic V="PESORMC"/>' in response.content
    titre = issued_titres.invoices.order_by("number").last()
    page = client.get(f"{BASE}/titres/{titre.pk}/").content.decode()
    assert "article 3 du rôle n° 1 (2026)" in page and "PES_ORMC_14200_2026_R1.xml" in page


def test_back_in_ordinary_mode_a_reduction_of_an_article_is_refused(ormc, issued_titres):
    transmit(issued_titres.invoices.all())
    titre = issued_titres.invoices.order_by("number").first()
    invoice_correct(
        original=titre,
        kind=InvoiceKind.REDUCTION,
        amount_cents=1000,
        reason="Erreur de quantité",
        issued_on=dt.date(2026, 11, 20),
    )
    identity_update(pes_mode=PesMode.ORDINARY)
    with pytest.raises(PesError, match=f"{titre.reference} est parti comme article 1 du rôle n° 1"):
        transmit(Invoice.objects.all())


def test_titres_complementaires_are_articles_of_the_next_role(corrected, pes_schema):  # noqa: F811
    """The titres go in rôle 1; after the guide's correction, its titres complémentaires form
    rôle 2, valid too; its réductions and annulations stay out."""
    from mutualis.billing.models import PesTransmission

    identity_update(pes_mode=PesMode.ORMC)
    base_titres = Invoice.objects.filter(kind=InvoiceKind.INVOICE)
    first, _root = transmit(base_titres)
    second, root = transmit(Invoice.objects.all())
    pes_schema.assertValid(root)
    assert [first.bordereaux, second.bordereaux] == [[[2026, "06", 1]], [[2026, "06", 2]]]
    complements = Invoice.objects.filter(kind=InvoiceKind.COMPLEMENTARY)
    assert second.document_count == complements.count() == 2
    lines = [cents(m) for m in root.iterfind(".//LigneDePiece/BlocLignePiece/*/MtHT")]
    assert sum(lines) == sum(c.total_cents for c in complements) == second.total_cents
    assert PesTransmission.objects.count() == 2
