"""What went to the comptable public is recorded: a document goes in one file only, and the
file of a past transmission is downloaded again byte for byte."""

import datetime as dt
import hashlib

import pytest

from mutualis.billing.models import Invoice, PesTransmission, PesTransmittedDocument
from mutualis.billing.services import transmissions
from mutualis.billing.services.identity import identity_update
from mutualis.billing.services.invoices import invoices_issue
from mutualis.billing.services.pes import PesError
from mutualis.billing.tests.conftest import COMMUNE_ADDRESSES, computed_run, prepare_pes

BASE = "/operateur/facturation"


def test_a_file_is_recorded_and_the_next_one_holds_only_new_titres(identity, world, accountant):
    for member, address in zip(world["communes"], COMMUNE_ADDRESSES, strict=True):
        member.address = address
        member.save(update_fields=["address"])
    run = computed_run(world, validate=True)
    day = dt.date(2026, 11, 16)
    invoices_issue(run=run, issued_on=day, payer_ids=[world["communes"][0].pk])
    first = transmissions.pes_transmit(invoices=Invoice.objects.all(), user=accountant)
    assert first.bordereaux == [[2026, "01", 1]]
    assert first.created_by == accountant
    assert first.sha256 == hashlib.sha256(bytes(first.content)).hexdigest()
    with pytest.raises(PesError, match="tous sont déjà dans un fichier préparé"):
        transmissions.pes_transmit(invoices=Invoice.objects.all())
    invoices_issue(run=run, issued_on=day + dt.timedelta(days=2))
    second = transmissions.pes_transmit(invoices=Invoice.objects.all())
    assert second.bordereaux == [[2026, "01", 2]]
    assert second.document_count == 2 and b'<IdBord V="1"/>' not in bytes(second.content)
    carried = PesTransmittedDocument.objects.values_list("transmission_id", flat=True)
    assert sorted(carried) == [first.pk, second.pk, second.pk]


def test_downloading_a_past_file_gives_the_same_bytes(client, accountant, identity, issued_titres):
    client.force_login(accountant)
    sent = prepare_pes(client, f"{BASE}/calculs/{issued_titres.pk}/pes.xml")
    assert sent.status_code == 200
    transmission = PesTransmission.objects.get()
    # the settings change afterwards: the file already sent does not
    identity_update(name="Autre nom", budget_label="Budget annexe")
    again = client.get(f"{BASE}/transmissions/{transmission.pk}/fichier.xml")
    assert again.content == sent.content
    assert again["Content-Disposition"] == sent["Content-Disposition"]
    assert hashlib.sha256(again.content).hexdigest() == transmission.sha256
    refused = client.post(f"{BASE}/calculs/{issued_titres.pk}/pes.xml", follow=True)
    assert "Aucun titre à mettre dans un fichier PES" in refused.content.decode()
    listing = client.get(f"{BASE}/transmissions/").content.decode()
    assert transmission.file_name in listing and "bordereau n° 1 (2026)" in listing


def test_the_rest_of_a_bordereau_already_sent_is_refused(identity, issued_titres):
    titres = list(issued_titres.invoices.order_by("number"))
    transmissions.pes_transmit(invoices=Invoice.objects.filter(pk=titres[0].pk))
    with pytest.raises(PesError, match="bordereau n° 1 de l'exercice 2026 est déjà parti"):
        transmissions.pes_transmit(invoices=Invoice.objects.all())
