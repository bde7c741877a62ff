"""The operator's identity as creditor is set in the app by the accountant, checked on entry."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from mutualis.billing.models import OperatorIdentity
from mutualis.billing.services.identity import identity_update, missing_for_pes
from mutualis.billing.tests.conftest import IDENTITY

URL = "/operateur/facturation/identite/"


def test_the_accountant_saves_the_identity_from_the_page(client, accountant):
    client.force_login(accountant)
    assert client.get(URL).status_code == 200
    form = {key: value for key, value in IDENTITY.items()}
    form["iban"] = "fr76 3000 1002 1500 0033 0012 824"
    response = client.post(URL, form)
    assert response.status_code == 302
    identity = OperatorIdentity.objects.get()
    assert identity.iban == "FR7630001002150000330012824"
    assert missing_for_pes(identity) == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("siret", "2533010060001", "14 chiffres"),
        ("siret", "25330100600017", "clé de contrôle"),
        ("iban", "FR7630001002150000330012825", "IBAN invalide"),
        ("bic", "BDF1FRPP", "BIC invalide"),
        ("poste_code", "33", "codique"),
        ("budget_code", "0", "code budget"),
    ],
)
def test_wrong_identifiers_are_refused_with_a_french_message(
    client, accountant, field, value, message
):
    client.force_login(accountant)
    response = client.post(URL, {**IDENTITY, field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not OperatorIdentity.objects.exists()


def test_the_service_checks_the_same_rules(db):
    with pytest.raises(ValidationError) as error:
        identity_update(siret="25330100600017", iban="FR00")
    assert set(error.value.message_dict) == {"siret", "iban"}


def test_a_logo_is_a_small_png_or_jpeg(client, accountant):
    client.force_login(accountant)
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "navy").save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = "logo.png"
    response = client.post(URL, {**IDENTITY, "logo_file": buffer})
    assert response.status_code == 302
    assert bytes(OperatorIdentity.objects.get().logo).startswith(b"\x89PNG")
    text = io.BytesIO(b"not an image")
    text.name = "logo.png"
    refused = client.post(URL, {**IDENTITY, "logo_file": text})
    assert "pas une image lisible" in refused.content.decode()


def test_a_reader_cannot_change_it(client, db):
    from mutualis.core.roles import OperatorRole
    from mutualis.core.tests.factories import UserFactory

    client.force_login(UserFactory(operator_role=OperatorRole.READ_ONLY))
    assert client.post(URL, IDENTITY).status_code == 403
