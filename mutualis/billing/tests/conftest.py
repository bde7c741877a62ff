import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest

from mutualis.billing.models import Tariff, TariffStatus
from mutualis.catalog.models import Unit, UsageKind, YearlyReading
from mutualis.catalog.tests.factories import ServiceFactory, SubscriptionFactory
from mutualis.core.tests.browser import (  # noqa: F401 (fixtures of the accessibility tests)
    SHARED_BROWSER,
    browser,
    new_context,
    shared_browser,
)
from mutualis.core.tests.factories import UserFactory
from mutualis.members.tests.factories import CommuneFactory, EpciMemberFactory, MemberFactory
from mutualis.metering.models import UsageRecord

ENT = """service = "ent"
year = 2026
unit = "élèves"

[cost_sharing]
cost = 12000

[[cost_sharing.subsidies]]
label = "FEDER"
share = 0.40
"""

CERTIFICATS = """service = "certificats"
year = 2026
unit = "certificats"

[usage]
mode = "flow"

[[components]]
type = "unit_price"
price = 12.40

[[exemptions]]
kinds = ["commune"]
population_below = 500
"""


def make_communes(epci, populations):
    return [
        MemberFactory(
            commune=CommuneFactory(population=population, epci=epci.territory_epci),
            population=population,
        )
        for population in populations
    ]


def add_usage(members, service, quantities, *, year=2026, month=12):
    UsageRecord.objects.bulk_create(
        UsageRecord(
            member=member,
            service=service,
            period="month",
            year=year,
            month=month,
            quantity=Decimal(quantity),
        )
        for member, quantity in zip(members, quantities, strict=True)
    )


@pytest.fixture
def accountant(db):
    return UserFactory(accountant=True)


@pytest.fixture
def world(db):
    """An EPCI, three communes (one under 500 inhabitants), two services with adopted tariffs."""
    epci = EpciMemberFactory(population=9000)
    communes = make_communes(epci, [250, 4000, 1200])
    ent = ServiceFactory(
        code="ent", unit=Unit.PUPIL, usage_kind=UsageKind.STOCK, yearly_reading=YearlyReading.LAST
    )
    certificats = ServiceFactory(
        code="certificats",
        unit=Unit.CERTIFICATE,
        usage_kind=UsageKind.FLOW,
        yearly_reading=YearlyReading.SUM,
    )
    for member in communes:
        SubscriptionFactory(member=member, service=ent, start_date=dt.date(2020, 1, 1))
        SubscriptionFactory(member=member, service=certificats, start_date=dt.date(2020, 1, 1))
    add_usage(communes, ent, ["30", "420", "150"])
    add_usage(communes, certificats, ["3", "10", "4"], month=5)
    tariffs = [
        Tariff.objects.create(service=ent, year=2026, text=ENT, status=TariffStatus.ADOPTED),
        Tariff.objects.create(
            service=certificats, year=2026, text=CERTIFICATS, status=TariffStatus.ADOPTED
        ),
    ]
    return {
        "epci": epci,
        "communes": communes,
        "ent": ent,
        "certificats": certificats,
        "tariffs": tariffs,
    }


def computed_run(world_, *, year=2026, validate=False):
    """A run computed synchronously (the task body), validated if asked."""
    from mutualis.billing.services import runs

    run = runs.run_request(year=year)
    runs.run_compute(run_id=run.pk)
    run.refresh_from_db()
    if validate:
        run = runs.run_validate(run=run)
    return run


# The official schemas live in shared/ beside the checkout (CI lays it there); PES_XSD_DIR
# names another place.
PES_XSD_DIR = Path(
    os.environ.get("PES_XSD_DIR")
    or Path(__file__).resolve().parents[3].parent / "shared" / "pes-xsd"
)
PES_ROOT_XSD = PES_XSD_DIR / "PES_V2" / "Rev0" / "PES_Aller.xsd"

IDENTITY = {
    "name": "Syndicat mixte Numérique Entre-deux-Mers",
    "address": "12 rue des Frères-Lumière\n33130 Bègles",
    "siret": "25330100600016",
    "ordonnateur_name": "Hélène Duprat",
    "ordonnateur_title": "La Présidente",
    "accountant_name": "Service de gestion comptable de Libourne",
    "accountant_address": "3 allée du Trésor public\n33500 Libourne",
    "iban": "FR7630001002150000330012824",
    "bic": "BDFEFRPPCCT",
    "poste_code": "033060",
    "poste_label": "SGC Libourne",
    "collectivity_code": "142",
    "budget_code": "00",
    "budget_label": "Budget principal",
    "nature": "70848",
    "chapter": "70",
    "product_code": "PART",
}


def prepare_pes(client, url: str, data: dict | None = None):
    """Asks for a PES file as the page does (POST), lets the queued job run (the test queue
    runs it at once, on commit), and returns the download of the file once ready; else the
    page the request ended on (the reason of a refusal or of a failure)."""
    from django.test import TestCase

    from mutualis.billing.models import PesPreparation

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, data or {})
    if response.status_code != 302 or "/preparations/" not in response.url:
        return client.get(response.url) if response.status_code == 302 else response
    pk = int(response.url.rstrip("/").rsplit("/", 1)[1])
    preparation = PesPreparation.objects.get(pk=pk)
    if preparation.transmission_id is None:
        return client.get(response.url)
    return client.get(
        f"/operateur/facturation/transmissions/{preparation.transmission_id}/fichier.xml"
    )


@pytest.fixture(scope="session")
def pes_schema():
    """The DGFiP PES V2 schemas (5.17), read beside the checkout (shared/pes-xsd/SOURCE.md);
    the validation is skipped, with that reason, where the folder is absent (a bare clone)."""
    from lxml import etree

    if not PES_ROOT_XSD.is_file():
        pytest.skip(
            f"the PES V2 schemas are not at {PES_XSD_DIR} (set PES_XSD_DIR to their folder)"
        )
    return etree.XMLSchema(etree.parse(str(PES_ROOT_XSD)))


@pytest.fixture
def identity(db):
    from mutualis.billing.services.identity import identity_update

    return identity_update(**IDENTITY)


COMMUNE_ADDRESSES = [
    "Mairie\n1 place de l'Église\n33750 Saint-Germain-du-Puch",
    "Hôtel de ville\n2 avenue de l'Europe\nBP 12\n33370 Artigues-près-Bordeaux",
    "Mairie de Créon\n8 place de la Prévôté\n33670 Créon",
]


@pytest.fixture
def issued_titres(world):
    """The 2026 run of `world`, validated, its titres issued on one bordereau."""
    from mutualis.billing.services.invoices import invoices_issue

    for member, address in zip(world["communes"], COMMUNE_ADDRESSES, strict=True):
        member.address = address
        member.save(update_fields=["address"])
    run = computed_run(world, validate=True)
    invoices_issue(run=run, issued_on=dt.date(2026, 11, 16))
    return run


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Closes the shared Chromium after the last browser test of a run (as core/tests does)."""
    try:
        return (yield)
    finally:
        if SHARED_BROWSER.running and (
            nextitem is None or nextitem.get_closest_marker("browser") is None
        ):
            SHARED_BROWSER.close()
