"""The usage and titres lists load only the columns they show: what they show stays the same
(the unit, origin and nature in French, the titre a correction corrects, newest first)."""

from mutualis.billing.models import InvoiceKind
from mutualis.billing.tests.factories import InvoiceFactory
from mutualis.members.tests.factories import AgentAccessFactory


def _rows(response):
    body = response.content.decode()
    return body[body.index("<tbody>") : body.index("</tbody>")]


def test_the_usage_list_shows_units_and_origins_in_french_newest_first(client, accountant, world):
    client.force_login(accountant)
    rows = _rows(client.get("/operateur/consommations/"))
    assert "élève" in rows and "certificat" in rows
    assert "Saisie" in rows or "Import" in rows
    # December readings (ent) before May's (certificats).
    assert rows.index("12/2026") < rows.index("05/2026")
    first = world["communes"][0]
    assert first.name in rows


def test_the_portal_usage_shows_the_unit_of_each_service(client, world):
    member = world["communes"][1]
    client.force_login(AgentAccessFactory(member=member).user)
    rows = _rows(client.get(f"/mon-espace/{member.pk}/consommations/"))
    assert "élève" in rows and "certificat" in rows
    assert rows.index("12/2026") < rows.index("05/2026")


def test_the_titres_lists_show_the_nature_and_the_corrected_titre(client, accountant, world):
    member = world["communes"][0]
    original = InvoiceFactory(member=member, number=41)
    InvoiceFactory(member=member, number=42, kind=InvoiceKind.REDUCTION, original=original)
    client.force_login(accountant)
    rows = _rows(client.get("/operateur/facturation/titres/"))
    assert "Titre de recettes" in rows and str(InvoiceKind.REDUCTION.label) in rows
    assert "(2026-T-00041)" in rows
    assert rows.index("2026-T-00042") < rows.index("2026-T-00041")
    client.force_login(AgentAccessFactory(member=member).user)
    rows = _rows(client.get(f"/mon-espace/{member.pk}/factures/"))
    assert str(InvoiceKind.REDUCTION.label) in rows and "(2026-T-00041)" in rows
