"""The accountant compares a new run with the validated one, exports the comparison, validates
it as a correction; the avis of a titre complémentaire says what it complements and why."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from mutualis.billing.models import Invoice, InvoiceKind, RunStatus
from mutualis.billing.services.corrections import run_validate_correction
from mutualis.billing.services.pdf import invoice_pdf
from mutualis.billing.tests.conftest import prepare_pes
from mutualis.billing.tests.test_avis_contents import pdf_strings
from mutualis.billing.tests.test_run_correction import LATER, adopt_ent_v2
from mutualis.core.roles import OperatorRole
from mutualis.core.tests.factories import UserFactory
from mutualis.members.models import Decision

BASE = "/operateur/facturation/calculs"


@pytest.fixture
def corrected(issued_titres, world):
    from mutualis.billing.tests.conftest import computed_run

    adopt_ent_v2(world)
    return issued_titres, computed_run(world)


def _post(client, run, **data):
    values = {"issued_on": f"{LATER:%Y-%m-%d}", "reason": "Exonération ENT", **data}
    return client.post(f"{BASE}/{run.pk}/valider-correction/", values)


def test_the_run_page_leads_to_the_comparison_instead_of_a_second_validation(
    client, accountant, corrected
):
    _base, run = corrected
    client.force_login(accountant)
    html = client.get(f"{BASE}/{run.pk}/").content.decode()
    assert f"{BASE}/{run.pk}/comparaison/" in html
    assert "Valider ce calcul" not in html


def test_the_comparison_shows_each_payer_and_the_totals(client, accountant, corrected, world):
    _base, run = corrected
    client.force_login(accountant)
    response = client.get(f"{BASE}/{run.pk}/comparaison/")
    html = response.content.decode()
    assert response.status_code == 200
    small = world["communes"][0]
    assert small.name in html
    for amount in ["360,00", "5\u202f164,00", "5\u202f429,26", "265,26", "−360,00", "94,74"]:
        assert amount in html, amount
    assert "Titre complémentaire" in html and "Réduction" in html
    assert "2026-T-00001" in html
    assert "Valider comme correction" in html
    # the proposed décision is the adoption of the new ENT tariff
    decision = Decision.objects.get(number="2026-31")
    assert f'<option value="{decision.pk}" selected>' in html


def test_only_the_payers_whose_amount_changes(client, accountant, issued_titres, world):
    from mutualis.billing.tests.conftest import computed_run

    run = computed_run(world)  # same data, same tariffs: nothing changes
    client.force_login(accountant)
    html = client.get(f"{BASE}/{run.pk}/comparaison/?ecarts=1").content.decode()
    assert "Aucun payeur." in html


def test_a_reader_sees_the_comparison_but_cannot_validate(client, corrected):
    _base, run = corrected
    client.force_login(UserFactory(operator_role=OperatorRole.READ_ONLY))
    html = client.get(f"{BASE}/{run.pk}/comparaison/").content.decode()
    assert "5\u202f429,26" in html and "Valider comme correction" not in html
    assert _post(client, run).status_code == 403


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_comparison_export(client, accountant, corrected, world, fmt):
    base, run = corrected
    client.force_login(accountant)
    response = client.get(f"{BASE}/{run.pk}/comparaison.{fmt}")
    assert response.status_code == 200
    assert (
        f"comparaison-2026-calcul{base.pk}-calcul{run.pk}.{fmt}" in response["Content-Disposition"]
    )
    if fmt == "xlsx":
        assert response.content.startswith(b"PK")
        return
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 6  # three payers × two services
    assert sum(int(r["ecart_centimes"]) for r in rows) == run.total_cents - base.total_cents
    big = [r for r in rows if r["payeur"] == world["communes"][1].name]
    assert {r["service"]: int(r["ecart_centimes"]) for r in big} == {
        world["ent"].name: 26526,
        world["certificats"].name: 0,
    }
    assert {r["correction"] for r in big} == {"Titre complémentaire"}


def test_validating_the_correction_from_the_page(client, accountant, corrected):
    base, run = corrected
    client.force_login(accountant)
    response = _post(client, run)
    assert response.status_code == 302
    run.refresh_from_db()
    base.refresh_from_db()
    assert (run.status, base.status) == (RunStatus.VALIDATED, RunStatus.SUPERSEDED)
    page = client.get(f"{BASE}/{run.pk}/").content.decode()
    assert "Titres complémentaires : 2 ; réductions : 1 ; nouveaux titres : 0." in page
    assert f"Ce calcul corrige le calcul n° {base.pk}" in page
    old = client.get(f"{BASE}/{base.pk}/").content.decode()
    assert f"remplacé par le calcul n° {run.pk}" in old


def test_a_future_date_is_refused_on_the_page(client, accountant, corrected):
    _base, run = corrected
    client.force_login(accountant)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = _post(client, run, issued_on=f"{tomorrow:%Y-%m-%d}")
    assert response.status_code == 400
    assert "ne peut pas être dans le futur" in response.content.decode()
    run.refresh_from_db()
    assert run.status == RunStatus.COMPUTED


def test_a_decision_typed_when_validating(client, accountant, corrected):
    _base, run = corrected
    client.force_login(accountant)
    response = _post(client, run, decision_number="2026-40", decision_date="2026-11-25")
    assert response.status_code == 302
    complementary = Invoice.objects.filter(kind=InvoiceKind.COMPLEMENTARY).first()
    assert (complementary.decision.number, complementary.decision.date) == (
        "2026-40",
        dt.date(2026, 11, 25),
    )
    assert _post(client, run, decision_number="2026-41").status_code == 400


def test_the_avis_of_a_titre_complementaire_says_what_it_complements_and_why(
    identity, corrected, world
):
    _base, run = corrected
    run_validate_correction(run=run, issued_on=LATER, reason="Exonération ENT des petites communes")
    complementary = Invoice.objects.get(member=world["communes"][1], kind=InvoiceKind.COMPLEMENTARY)
    text = pdf_strings(invoice_pdf(complementary))
    original = complementary.original.reference
    for expected in [
        f"titre complémentaire au titre n° {original}",
        f"Titre n° {complementary.reference}",
        f"Titre complémentaire au titre n° {original} du 16/11/2026",
        "Motif : Exonération ENT des petites communes.",
        "délibération n° 2026-31 du 20/11/2026",
        "Comment payer",
        "265,26",
    ]:
        assert expected in text, expected


def test_the_page_of_a_titre_complementaire(client, accountant, corrected, world):
    _base, run = corrected
    run_validate_correction(run=run, issued_on=LATER, reason="Exonération ENT")
    complementary = Invoice.objects.get(member=world["communes"][1], kind=InvoiceKind.COMPLEMENTARY)
    client.force_login(accountant)
    html = client.get(f"/operateur/facturation/titres/{complementary.pk}/").content.decode()
    assert "Complète le titre" in html and complementary.original.reference in html
    assert "Comité syndical n° 2026-31 du 20/11/2026" in html
    assert "Réduire ou annuler" in html  # a titre complémentaire can be reduced like a titre
    original = client.get(f"/operateur/facturation/titres/{complementary.original_id}/")
    assert complementary.reference in original.content.decode()


def test_the_pes_file_of_the_replaced_run_stays_available(client, accountant, identity, corrected):
    base, run = corrected
    run_validate_correction(run=run, issued_on=LATER, reason="Exonération ENT")
    client.force_login(accountant)
    assert f"{BASE}/{base.pk}/pes.xml" in client.get(f"{BASE}/{base.pk}/").content.decode()
    response = prepare_pes(client, f"{BASE}/{base.pk}/pes.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
