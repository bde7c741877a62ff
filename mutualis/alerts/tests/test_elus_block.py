"""The élus' page of a commune says, in plain French, what the water and energy alerts found
and what repairing the leaks saved."""

import datetime as dt
import re

import pytest
from django.test import override_settings

from mutualis.alerts.elus import sentences, water_energy
from mutualis.alerts.models import AlertStatus, Cause
from mutualis.alerts.tests.tenancy import make_alert, water_meter
from mutualis.billing.money import format_euros
from mutualis.insights.report import _styles, _water_energy_block
from mutualis.insights.selectors import member_page
from mutualis.members.tests.factories import AgentAccessFactory, MemberFactory

pytestmark = pytest.mark.django_db
OPENED = dt.datetime(2026, 11, 1, 6, tzinfo=dt.UTC)


def leak(member, *, cause=Cause.NIGHT_FLOW, measured=10.0, resolved_after=None):
    alert = make_alert(member, cause=cause)
    alert.opened_at, alert.measured = OPENED, measured
    if resolved_after is not None:
        alert.status = AlertStatus.RESOLVED
        alert.resolved_at = OPENED + resolved_after
    alert.save()
    return alert


@override_settings(WATER_PRICE_PER_M3="4.30", LEAK_UNNOTICED_DAYS=90)
def test_water_saved_is_the_leak_rate_times_the_time_it_did_not_run(client):
    member = MemberFactory(name="Saint-Aubin")
    leak(member, measured=10.0, resolved_after=dt.timedelta(days=1))  # 10 L/h, 89 days saved
    leak(member, cause=Cause.NETWORK_BALANCE, measured=480.0, resolved_after=dt.timedelta(days=100))
    leak(member, cause=Cause.DAILY_JUMP, measured=2400.0)  # not repaired yet: nothing saved
    boiler = water_meter(member, name="École des Tilleuls, chaufferie")
    heated = make_alert(member, cause=Cause.HEATING_UNOCCUPIED, sensor=boiler)
    heated.opened_at = OPENED
    heated.save()

    figures = water_energy(member, 2026)
    assert (figures.leaks_found, figures.leaks_resolved) == (3, 2)
    assert figures.saved_m3 == pytest.approx(21.4)  # 10 L/h × 89 × 24 h
    assert figures.saved_cents == 9185  # 21.36 m³ × 4.30 €
    assert figures.buildings_out_of_line == ["École des Tilleuls, chaufferie"]

    client.force_login(AgentAccessFactory(member=member).user)
    page = client.get(f"/elus/{member.pk}/?annee=2026").content.decode()
    assert "Eau et énergie" in page
    assert "21,4 m³" in page
    assert "91,85" in page
    assert "4,30 € le m³" in page


@override_settings(WATER_PRICE_PER_M3="4.30", LEAK_UNNOTICED_DAYS=90)
def test_the_printable_report_says_it_in_sentences_on_its_one_page(client):
    member = MemberFactory(name="Saint-Aubin")
    leak(member, measured=10.0, resolved_after=dt.timedelta(days=1))
    leak(member, cause=Cause.DAILY_JUMP, measured=2400.0)
    lines = sentences(water_energy(member, 2026))
    assert lines[0] == (
        "Fuites d'eau : 2 repérées par les compteurs en 2026, dont 1 réparée ; "
        f"environ 21,4 m³ d'eau économisés, soit {format_euros(9185)}."
    )
    assert lines[1] == "Chauffage : aucun bâtiment chauffé à vide ni hors de la courbe météo."
    assert lines[2] == (
        "Capteurs : 2 en service, aucun n'a donné de nouvelles ces dernières 24 heures."
    )

    page = member_page(member, 2026)
    block = " ".join(p.getPlainText() for p in _water_energy_block(page, _styles()))
    assert block.startswith("Eau et énergie Fuites d'eau : 2 repérées")
    assert "4,30 € le m³" in block
    client.force_login(AgentAccessFactory(member=member).user)
    pdf = client.get(f"/elus/{member.pk}/rapport.pdf?annee=2026")
    assert pdf["Content-Type"] == "application/pdf"
    assert len(re.findall(rb"/Type /Page\b(?!s)", pdf.content)) == 1
