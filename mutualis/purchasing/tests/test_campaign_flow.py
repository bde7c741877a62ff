"""A whole campaign in the browser: invite, two members answer, three offers, award,
each member's savings, orders."""

import datetime as dt

from django.urls import reverse

from mutualis.purchasing.models import Campaign, CampaignStatus, Need, Order
from mutualis.purchasing.tests.conftest import CALENDAR


def _post(client, url, data, follow=True):
    response = client.post(url, data, follow=follow)
    assert response.status_code == 200, response.content[:500]
    return response


def _dates(**overrides):
    return {k: v.isoformat() for k, v in {**CALENDAR, **overrides}.items()}


def test_a_whole_campaign_in_the_browser(client, manager, territory, agents, settings):
    small, middle, big = territory["communes"]
    client.force_login(manager)
    today = dt.date.today()
    response = _post(
        client,
        reverse("purchasing:campaign_create"),
        {
            "name": "Téléphonie mobile",
            "price_weight": 60,
            **_dates(
                needs_deadline=today + dt.timedelta(days=10),
                offers_deadline=today + dt.timedelta(days=40),
                award_date=today + dt.timedelta(days=60),
            ),
        },
    )
    campaign = Campaign.objects.get()
    for name, unit, maximum, reference in (
        ("Forfaits mobiles", "forfait mensuel", "60", "20"),
        ("Smartphones", "appareil", "", ""),
    ):
        _post(
            client,
            reverse("purchasing:lot_add", args=[campaign.pk]),
            {
                "lot-name": name,
                "lot-unit": unit,
                "lot-max_quantity": maximum,
                "lot-reference_unit_price": reference,
            },
        )
    _post(
        client,
        reverse("purchasing:criterion_add", args=[campaign.pk]),
        {"criterion-name": "Valeur technique", "criterion-weight": 40},
    )
    response = _post(
        client,
        reverse("purchasing:campaign_invite", args=[campaign.pk]),
        {"mode": "epci", "epci": territory["epci"].pk},
    )
    assert "4 membre(s) invité(s)" in response.content.decode()
    _post(client, reverse("purchasing:campaign_status", args=[campaign.pk]), {"status": "needs"})
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.NEEDS
    forfaits, phones = campaign.lots.order_by("number")

    for user, member, quantities in (
        (agents["small"], small, {f"quantity_{forfaits.pk}": "4", f"price_{forfaits.pk}": "30"}),
        (
            agents["middle"],
            middle,
            {
                f"quantity_{forfaits.pk}": "20",
                f"quantity_{phones.pk}": "5",
                f"price_{phones.pk}": "400",
            },
        ),
    ):
        client.force_login(user)
        page = client.get(reverse("purchasing_portal:campaigns", args=[member.pk]))
        assert "Téléphonie mobile" in page.content.decode()
        _post(
            client, reverse("purchasing_portal:campaign", args=[member.pk, campaign.pk]), quantities
        )
    assert Need.objects.count() == 3

    client.force_login(manager)
    _post(
        client,
        reverse("purchasing:needs_member", args=[campaign.pk, big.pk]),
        {f"quantity_{forfaits.pk}": "30"},
    )
    needs_page = client.get(
        reverse("purchasing:campaign_needs", args=[campaign.pk])
    ).content.decode()
    assert "54" in needs_page  # 4 + 20 + 30 forfaits
    # the EPCI has not answered and the deadline is ahead: the move is confirmed first
    url = reverse("purchasing:campaign_status", args=[campaign.pk])
    assert "1 membre invité n'a pas encore répondu" in _post(
        client, url, {"status": "offers"}
    ).content.decode("utf-8").replace("&#x27;", "'")
    _post(client, url, {"status": "offers", "confirmed": "1"})

    for name, siren, price, tiers, score in (
        ("Orange Business", "380129866", "9", "50 ; 6", "8"),
        ("SFR Business", "343059564", "7.5", "", "6"),
        ("Bouygues Telecom Entreprises", "397480930", "8", "", "9"),
    ):
        _post(
            client,
            reverse("purchasing:lot_offers", args=[forfaits.pk]),
            {
                "supplier_name": name,
                "supplier_siren": siren,
                "unit_price": price,
                "tiers": tiers,
                f"score_{campaign.criteria.get().pk}": score,
            },
        )
    page = client.get(reverse("purchasing:lot_offers", args=[forfaits.pk])).content.decode()
    assert "Orange Business" in page and "SFR Business" in page
    orange = forfaits.offers.get(supplier__siren="380129866")
    _post(
        client,
        reverse("purchasing:lot_award", args=[forfaits.pk]),
        {
            "offer": orange.pk,
            "decision_body": "Comité syndical",
            "decision_number": "2026-12",
            "decision_date": "2026-06-15",
        },
    )
    forfaits.refresh_from_db()
    assert forfaits.awarded_unit_price == 6  # tier for 54 ≥ 50
    _post(
        client,
        reverse("purchasing:lot_offers", args=[phones.pk]),
        {"supplier_name": "Econocom", "supplier_siren": "326966777", "unit_price": "250"},
    )
    _post(
        client,
        reverse("purchasing:lot_award", args=[phones.pk]),
        {
            "offer": phones.offers.get().pk,
            "decision_body": "Comité syndical",
            "decision_number": "2026-13",
            "decision_date": "2026-06-15",
        },
    )
    _post(client, reverse("purchasing:campaign_status", args=[campaign.pk]), {"status": "awarded"})
    results = client.get(
        reverse("purchasing:campaign_results", args=[campaign.pk])
    ).content.decode()
    # small: 4 × (30 − 6) = 96 € (its own price); big: 30 × (20 − 6) = 420 € (market price)
    assert "96,00\u202f€" in results
    assert "420,00\u202f€" in results
    assert "prix de référence du marché" in results

    client.force_login(agents["small"])
    portal = client.get(reverse("purchasing_portal:campaign", args=[small.pk, campaign.pk]))
    assert "96,00\u202f€" in portal.content.decode()
    _post(
        client,
        reverse("purchasing_portal:order", args=[small.pk, campaign.pk]),
        {"lot": forfaits.pk, "ordered_on": "2026-09-15", "quantity": "4", "reference": "BC-1"},
    )
    client.force_login(manager)
    _post(
        client,
        reverse("purchasing:campaign_orders", args=[campaign.pk]),
        {"member": big.pk, "lot": forfaits.pk, "ordered_on": "2026-10-01", "quantity": "46"},
    )
    assert Order.objects.count() == 2
    orders_page = client.get(reverse("purchasing:campaign_orders", args=[campaign.pk]))
    assert 'role="alert"' in orders_page.content.decode()  # 50 of 60 ordered: ≥ 80 %
