"""The avis des sommes à payer (PDF) and the exports for the accounting software."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from mutualis.billing.models import Invoice
from mutualis.billing.services.invoices import invoices_issue
from mutualis.billing.services.pdf import invoice_pdf
from mutualis.billing.tests.conftest import computed_run


@pytest.fixture
def issued(world):
    run = computed_run(world, validate=True)
    invoices_issue(run=run, issued_on=dt.date(2026, 11, 16))
    return run


def test_the_pdf_names_the_payer_the_number_and_the_total(issued, world):
    invoice = Invoice.objects.get(member=world["communes"][1])
    content = invoice_pdf(invoice)
    assert content.startswith(b"%PDF")
    assert invoice.reference.encode() in content
    assert invoice.payer_siren.encode() in content


def test_the_operator_downloads_the_pdf(client, accountant, issued):
    client.force_login(accountant)
    invoice = Invoice.objects.first()
    response = client.get(f"/operateur/facturation/titres/{invoice.pk}/avis.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_the_csv_export_reconciles_with_the_titres(client, accountant, issued):
    client.force_login(accountant)
    response = client.get("/operateur/facturation/titres/export.csv?annee=2026")
    text = response.content.decode("utf-8-sig")
    rows = [line.split(";") for line in text.strip().splitlines()]
    assert rows[0][0] == "titre"
    assert sum(int(row[10]) for row in rows[1:]) == issued.total_cents


def test_the_xlsx_export_of_the_run(client, accountant, issued):
    client.force_login(accountant)
    response = client.get(f"/operateur/facturation/calculs/{issued.pk}/participations.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][7] == "montant_centimes"
    assert sum(row[7] for row in values[1:]) == issued.total_cents


def test_the_csv_export_follows_french_spreadsheet_conventions(client, accountant, issued):
    client.force_login(accountant)
    text = client.get("/operateur/facturation/titres/export.csv").content.decode("utf-8-sig")
    header, first = (line.split(";") for line in text.splitlines()[:2])
    euros = first[header.index("montant_euros")]
    assert "," in euros and "." not in euros  # « 360,00 », a number for a French spreadsheet
    assert int(first[header.index("montant_centimes")]) == int(euros.replace(",", ""))
    assert first[header.index("emis_le")] == "16/11/2026"


def test_the_list_filtered_by_year_exports_that_year_only(client, accountant, issued):
    client.force_login(accountant)
    page = client.get("/operateur/facturation/titres/?year=2025").content.decode()
    assert "export.csv?year=2025" in page
    text = client.get("/operateur/facturation/titres/export.csv?year=2025").content
    assert len(text.decode("utf-8-sig").strip().splitlines()) == 1  # the header: no 2025 titre
