"""Corrections in the PES file: titres complémentaires on a bordereau ordinaire (titre
correctif, nature complémentaire), réductions and annulations on bordereaux d'annulation/
réduction citing the line of the titre they reduce; valid against the DGFiP schemas (5.17)."""

import base64
import datetime as dt
import gzip

import pytest
from lxml import etree

from mutualis.billing.models import Invoice, InvoiceKind
from mutualis.billing.services import invoices, pes, tariffs
from mutualis.billing.services.corrections import run_validate_correction
from mutualis.billing.services.invoices import invoice_correct, invoices_issue
from mutualis.billing.tests.conftest import COMMUNE_ADDRESSES, computed_run, prepare_pes
from mutualis.billing.tests.test_correction_docs_example import example
from mutualis.billing.tests.test_pes_export import cents
from mutualis.governance.services import operator_decision


@pytest.fixture
def corrected(identity, world):
    """The worked example of the guide: titres T1-T3 on bordereau 1 (16/11/2026); the
    correction of 27/11 issues the réduction R1 of A's titre (bordereau d'annulation 1) and the
    titres complémentaires T4 (B) and T5 (C) (bordereau 2); then, on 28/11, the annulation R2
    of T5 and a réduction R3 of 10 € of B's titre (bordereaux d'annulation 2 and 3)."""
    for member, address in zip(world["communes"], COMMUNE_ADDRESSES, strict=True):
        member.address = address
        member.save(update_fields=["address"])
    base = computed_run(world, validate=True)
    invoices_issue(run=base, issued_on=dt.date(2026, 11, 16))
    draft = tariffs.tariff_new_version(tariff=world["tariffs"][0])
    tariffs.tariff_update(tariff=draft, text=example()[0])
    decision = operator_decision(
        body="Comité syndical",
        number="2026-31",
        date=dt.date(2026, 11, 20),
        subject="ENT : exonération des petites communes",
    )
    tariffs.tariff_adopt(tariff=draft, decision=decision)
    run = computed_run(world)
    correction = run_validate_correction(
        run=run, issued_on=dt.date(2026, 11, 27), reason="Exonération ENT"
    )
    complement_c = correction.complementary[1]
    invoice_correct(
        original=complement_c,
        kind=InvoiceKind.CANCELLATION,
        reason="Titre complémentaire émis à tort",
        issued_on=dt.date(2026, 11, 28),
    )
    titre_b = correction.complementary[0].original
    invoice_correct(
        original=titre_b,
        kind=InvoiceKind.REDUCTION,
        reason="Remise",
        issued_on=dt.date(2026, 11, 28),
        amount_cents=1000,
    )
    return {"base": base, "run": run, "correction": correction}


def year_file():
    _name, content = pes.pes_recette(Invoice.objects.filter(year=2026))
    return etree.fromstring(content)


def bordereaux(root) -> dict[tuple[str, str], etree._Element]:
    return {
        (b.find("BlocBordereau/TypBord").get("V"), b.find("BlocBordereau/IdBord").get("V")): b
        for b in root.iterfind("PES_RecetteAller/Bordereau")
    }


def triplet(bordereau, piece) -> tuple[str, str, str]:
    return (
        bordereau.find("BlocBordereau/TypBord").get("V"),
        piece.find("BlocPiece/TypPce").get("V"),
        piece.find("BlocPiece/NatPce").get("V"),
    )


def test_the_file_with_corrections_is_valid_against_the_official_schemas(corrected, pes_schema):
    root = year_file()
    pes_schema.assertValid(root)
    kinds = {i.kind for i in Invoice.objects.filter(year=2026)}
    assert kinds == {"invoice", "complementary", "reduction", "cancellation"}
    assert len(root.findall(".//Piece")) == Invoice.objects.filter(year=2026).count() == 8


def test_one_bordereau_per_exercise_type_and_issuing(corrected):
    blocs = bordereaux(year_file())
    # ordinary: the titres (1) and the correction's complements (2); annulation/réduction: the
    # correction's réduction (1), the annulation (2), the manual réduction (3)
    assert sorted(blocs) == [("01", "1"), ("01", "2"), ("02", "1"), ("02", "2"), ("02", "3")]
    numbers = {
        key: sorted(p.get("V") for p in b.iterfind("Piece/BlocPiece/IdPce"))
        for key, b in blocs.items()
    }
    assert numbers == {
        ("01", "1"): ["1", "2", "3"],
        ("01", "2"): ["4", "5"],
        ("02", "1"): ["1"],
        ("02", "2"): ["2"],
        ("02", "3"): ["3"],
    }
    for (type_bordereau, _number), bordereau in blocs.items():
        for piece in bordereau.iterfind("Piece"):
            expected = {"01": {("01", "01", "01"), ("01", "02", "07")}, "02": {("02", "02", "06")}}
            assert triplet(bordereau, piece) in expected[type_bordereau]
    complements = blocs[("01", "2")].findall("Piece")
    assert {triplet(blocs[("01", "2")], p) for p in complements} == {("01", "02", "07")}


def test_totals_are_positive_and_add_up_per_bordereau_and_type(corrected):
    blocs = bordereaux(year_file())
    for bordereau in blocs.values():
        total = cents(bordereau.find("BlocBordereau/MtBordHt"))
        lines = [cents(m) for m in bordereau.iterfind("Piece/LigneDePiece/BlocLignePiece/*/MtHT")]
        assert total > 0 and all(line > 0 for line in lines)
        assert sum(lines) == total
        assert int(bordereau.find("BlocBordereau/NbrPce").get("V")) == len(
            bordereau.findall("Piece")
        )
    documents = Invoice.objects.filter(year=2026)
    for type_bordereau, kinds in (("01", pes.ORDINARY_KINDS), ("02", pes.CORRECTION_KINDS)):
        keys = sorted((k for k in blocs if k[0] == type_bordereau), key=lambda k: int(k[1]))
        totals = [cents(blocs[k].find("BlocBordereau/MtBordHt")) for k in keys]
        cumulative = [cents(blocs[k].find("BlocBordereau/MtCumulAnnuel")) for k in keys]
        assert cumulative == [sum(totals[: i + 1]) for i in range(len(totals))]
        assert sum(totals) == abs(sum(d.total_cents for d in documents if d.kind in kinds))


def test_each_reduction_references_the_line_of_the_titre_it_reduces(corrected):
    root = year_file()
    titres = {
        (t.year, t.number): t
        for t in Invoice.objects.filter(kind__in=pes.ORDINARY_KINDS).prefetch_related("lines")
    }
    lines_of = {
        key: {str(i): c for i, (_label, c) in enumerate(pes.titre_lines(t), 1)}
        for key, t in titres.items()
    }
    taken: dict[tuple[int, int, str], int] = {}
    for bordereau in bordereaux(root).values():
        if bordereau.find("BlocBordereau/TypBord").get("V") != "02":
            assert bordereau.find(".//RattachPiece") is None
            continue
        exercise = bordereau.find("BlocBordereau/Exer").get("V")
        for piece in bordereau.iterfind("Piece"):
            number = int(piece.find("BlocPiece/IdPce").get("V"))
            correction = Invoice.objects.get(year=2026, series="R", number=number)
            for ligne in piece.iterfind("LigneDePiece/BlocLignePiece"):
                rattach = ligne.find("RattachPiece")
                assert rattach.find("NatPceOrig").get("V") == "01"  # a titre
                assert rattach.find("ExerRat").get("V") == exercise  # 02 02 06: same exercise
                original = (int(exercise), int(rattach.find("IdPceOrig").get("V")))
                assert titres[original] == correction.original
                line = rattach.find("IdLigneOrig").get("V")
                key = (*original, line)
                taken[key] = taken.get(key, 0) + cents(ligne.find("InfoLignePiece/MtHT"))
                assert taken[key] <= lines_of[original][line]
    by_titre = {}
    for (year, number, _line), value in taken.items():
        by_titre[(year, number)] = by_titre.get((year, number), 0) + value
    expected = {}
    for correction in Invoice.objects.filter(kind__in=pes.CORRECTION_KINDS):
        key = (correction.original.year, correction.original.number)
        expected[key] = expected.get(key, 0) - correction.total_cents
    assert by_titre == expected
    annulled = corrected["correction"].complementary[1]
    assert by_titre[(annulled.year, annulled.number)] == annulled.total_cents


def test_each_correction_avis_travels_with_its_piece(corrected):
    root = year_file()
    attachments = {pj.find("IdUnique").get("V"): pj for pj in root.iterfind("PES_PJ/PJ")}
    assert len(attachments) == 8
    for bordereau in root.iterfind("PES_RecetteAller/Bordereau"):
        type_bordereau = bordereau.find("BlocBordereau/TypBord").get("V")
        for piece in bordereau.iterfind("Piece"):
            pj = attachments[piece.find("BlocPiece/PJRef/IdUnique").get("V")]
            assert pj.find("RefCompta/TypeObjet").get("V") == type_bordereau
            assert pj.find("RefCompta/Identifiant").get("V") == piece.find("BlocPiece/IdPce").get(
                "V"
            )
            pdf = gzip.decompress(base64.b64decode(pj.find("Contenu/Fichier").text))
            assert pdf.startswith(b"%PDF")
    descriptions = [pj.find("Description").get("V") for pj in attachments.values()]
    assert "Avis d'annulation 2026-R-00002 du titre 2026-T-00005" in descriptions


def test_the_run_file_holds_the_documents_of_the_correction(corrected, client, accountant):
    client.force_login(accountant)
    run = corrected["run"]
    response = prepare_pes(client, f"/operateur/facturation/calculs/{run.pk}/pes.xml")
    assert response.status_code == 200
    # its complements (B2), its réduction (BR1) and the annulation of its complement T5 (BR2);
    # the réduction R3 of the titre T2 belongs to the run of T2
    assert 'filename="PES_recette_14200_2026_B2_BR1-BR2.xml"' in response["Content-Disposition"]
    root = etree.fromstring(response.content)
    assert sorted(bordereaux(root)) == [("01", "2"), ("02", "1"), ("02", "2")]
    # the year's file then holds what the run's file did not: the titres of the base run (B1)
    # and the réduction R3 of its titre T2 (BR3), never again B2, BR1 or BR2
    by_year = prepare_pes(client, "/operateur/facturation/titres/pes.xml", {"annee": "2026"})
    assert by_year.content.count(b"<Piece>") == 8 - response.content.count(b"<Piece>")
    assert 'filename="PES_recette_14200_2026_B1_BR3.xml"' in by_year["Content-Disposition"]


def test_a_reduction_of_a_titre_of_an_earlier_exercise_is_refused_naming_it(
    identity, issued_titres, monkeypatch
):
    monkeypatch.setattr(invoices.timezone, "localdate", lambda: dt.date(2027, 1, 10))
    titre = issued_titres.invoices.order_by("number").first()
    reduction = invoice_correct(
        original=titre,
        kind=InvoiceKind.REDUCTION,
        reason="Remise",
        issued_on=dt.date(2027, 1, 5),
        amount_cents=100,
    )
    assert (reduction.year, reduction.bordereau) == (2027, 1)
    with pytest.raises(pes.PesError, match="2027-R-00001 corrige le titre 2026-T-00001"):
        pes.pes_recette(Invoice.objects.filter(year=2027))
    # the file of 2026 is unaffected
    pes.pes_recette(Invoice.objects.filter(year=2026))


def test_the_avis_of_a_reduction_names_its_bordereau_d_annulation(corrected):
    from mutualis.billing.services.pdf import invoice_pdf
    from mutualis.billing.tests.test_avis_contents import pdf_strings

    reduction = corrected["correction"].reductions[0]
    assert reduction.bordereau == 1
    text = pdf_strings(invoice_pdf(reduction))
    assert "Bordereau d'annulation/réduction n° 1" in text
    complement = corrected["correction"].complementary[0]
    assert "Bordereau n° 2" in pdf_strings(invoice_pdf(complement))


def test_a_complement_with_a_negative_service_line_is_one_line_of_its_total(corrected):
    from django.db.models import QuerySet

    from mutualis.billing.models import InvoiceLine

    complement = corrected["correction"].complementary[0]
    first = complement.lines.get()
    # a titre complémentaire whose services move both ways (+275.26 and -10.00 = +265.26)
    QuerySet(InvoiceLine).filter(pk=first.pk).update(amount_cents=first.amount_cents + 1000)
    InvoiceLine.objects.create(invoice=complement, label="Certificats", amount_cents=-1000)
    complement.refresh_from_db()
    complement = Invoice.objects.get(pk=complement.pk)  # its lines read again
    [(label, value)] = pes.titre_lines(complement)
    assert value == complement.total_cents == 26526
    assert label.startswith("2026-T-00004 Titre complémentaire au titre n° 2026-T-00002")
    root = year_file()
    bordereau = bordereaux(root)[("01", "2")]
    assert [cents(m) for m in bordereau.iterfind(".//MtHT")] == [26526, 9474]


def test_the_migration_numbers_the_bordereaux_of_earlier_corrections(corrected):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.db.models import QuerySet

    from mutualis.billing.models import InvoiceCounter

    migration = "0005_correction_bordereaux"
    module = __import__(f"mutualis.billing.migrations.{migration}", fromlist=["Migration"])
    state = MigrationExecutor(connection).loader.project_state(("billing", migration))

    # as before: corrections without bordereau, no counter of the series
    ids = list(Invoice.objects.filter(kind__in=pes.CORRECTION_KINDS).values_list("pk", flat=True))
    QuerySet(Invoice).filter(pk__in=ids).update(bordereau=None)
    InvoiceCounter.objects.filter(series="BR").delete()
    module.number_existing_correction_bordereaux(state.apps, None)
    numbers = dict(Invoice.objects.filter(pk__in=ids).values_list("number", "bordereau").order_by())
    # R1 (correction run, 27/11), then R2 (correction run, 28/11), R3 (base run, 28/11)
    assert numbers == {1: 1, 2: 2, 3: 3}
    assert InvoiceCounter.objects.get(year=2026, series="BR").last_number == 3


def test_the_guide_says_what_helios_receives_for_each_document():
    """The table of docs/billing.md § 6 gives, per document, the codes the file writes."""
    import re

    from mutualis.billing.tests.test_correction_docs_example import GUIDE

    guide = GUIDE.read_text(encoding="utf-8")
    section = guide.split("### Le fichier PES V2 pour Hélios")[1].split("\n### ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")][1:]
    documents = {
        "titre": [InvoiceKind.INVOICE],
        "titre complémentaire": [InvoiceKind.COMPLEMENTARY],
        "réduction, annulation": [InvoiceKind.REDUCTION, InvoiceKind.CANCELLATION],
    }
    seen = set()
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        codes = tuple(re.findall(r"`(\d\d)`", " ".join(cells[1:3])))
        for kind in documents[cells[0]]:
            assert pes.TRIPLETS[kind] == codes, (kind, codes)
            seen.add(kind)
        if "réduction" in cells[0]:
            assert "RattachPiece" in cells[3]
    assert seen == set(pes.TRIPLETS)
