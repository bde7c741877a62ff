"""Issuing titres from a run always says how many were issued, none included."""

from mutualis.billing.models import Invoice
from mutualis.billing.tests.conftest import computed_run


def _issue(client, run):
    response = client.post(
        f"/operateur/facturation/calculs/{run.pk}/emettre/",
        {"issued_on": "2026-11-16"},
        follow=True,
    )
    assert response.redirect_chain == [(f"/operateur/facturation/calculs/{run.pk}/", 302)]
    return [str(message) for message in response.context["messages"]]


def test_issuing_again_says_that_no_titre_was_issued(client, accountant, world):
    run = computed_run(world, validate=True)
    client.force_login(accountant)
    assert _issue(client, run) == ["3 titres émis."]
    assert _issue(client, run) == ["0 titre émis : les payeurs de ce calcul ont déjà leur titre."]
    assert Invoice.objects.count() == 3
