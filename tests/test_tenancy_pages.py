"""Every page of the app, walked from the URL configuration, with every visitor and method.

Each page is opened (GET) and written to (POST, with a valid body where one is given below)
by an anonymous visitor, an account that sees no member, member A's agent, member B's agent
and one account per operator role, on member A's data. A member page is also tried by B's
agent with B's own `member_pk` and A's object in the URL. A refused write must change
nothing in the database. Who may write is written down here, in PAGE_WRITES, apart from the
code: a page that takes writes must be listed, and every other page answers writes with 405.

A new view is covered the moment it is added to a urls.py: give its policy
(mutualis/core/access.py) and, for a `pk` in its URL, a builder in its app's tests/tenancy.py.
"""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from mutualis.alerts.models import Alert, HeatingProfile, MeterSector
from mutualis.alerts.tests.tenancy import energy_meter
from mutualis.core.roles import ROLE_CAPABILITIES
from mutualis.core.roles import Capability as C
from mutualis.core.tests.tenancy import object_builders
from mutualis.purchasing.models import Campaign, Lot
from mutualis.staffing.models import WorkLogEntry
from tests.tenancy_world import (
    ROLES,
    VISITORS,
    Expect,
    agents_and,
    changes,
    db_state,
    owned_by_a,
)

SKIPPED_PREFIXES = ("admin/", "api/")  # the admin checks is_staff; the API has its own walk

P = "mon-espace/<int:member_pk>/"
# Who may POST to each page that takes writes. Operator pages: operator roles only.
PAGE_WRITES: dict[str, Expect] = {
    "operateur/membres/ajouter/": Expect(C.MANAGE_MEMBERS),
    "operateur/membres/etablissement/": Expect(C.MANAGE_MEMBERS),
    "operateur/membres/<int:pk>/adhesion/": Expect(C.MANAGE_MEMBERS),
    "operateur/adhesions/<int:pk>/fin/": Expect(C.MANAGE_MEMBERS),
    "operateur/membres/<int:pk>/agents/": Expect(C.MANAGE_USERS),
    "operateur/acces/<int:pk>/retrait/": Expect(C.MANAGE_USERS),
    "operateur/acces-proconnect/<int:pk>/": Expect(C.MANAGE_USERS),
    "operateur/catalogue/nouveau/": Expect(C.MANAGE_CATALOG),
    "operateur/catalogue/<int:pk>/": Expect(C.MANAGE_CATALOG),
    "operateur/catalogue/<int:pk>/prix-seul/": Expect(C.MANAGE_CATALOG),
    "elus/references/": Expect(C.MANAGE_STAFFING),
    "elus/rapports/": Expect(C.MANAGE_MEMBERS),
    "operateur/membres/<int:pk>/souscription/": Expect(C.MANAGE_MEMBERS),
    "operateur/souscriptions/<int:pk>/fin/": Expect(C.MANAGE_MEMBERS),
    "operateur/demandes/<int:pk>/": Expect(C.DECIDE_REQUESTS),
    "operateur/imports/importer/": Expect(C.MANAGE_MEMBERS),
    "operateur/imports/besoins/<int:pk>/": Expect(C.MANAGE_PURCHASING),
    "operateur/facturation/identite/": Expect(C.MANAGE_BILLING),
    "operateur/facturation/calculs/<int:pk>/valider-correction/": Expect(C.MANAGE_BILLING),
    "operateur/facturation/tarifs/nouveau/": Expect(C.MANAGE_BILLING),
    "operateur/facturation/tarifs/<int:pk>/modifier/": Expect(C.MANAGE_BILLING),
    "operateur/facturation/tarifs/<int:pk>/nouvelle-version/": Expect(C.MANAGE_BILLING),
    "operateur/facturation/tarifs/<int:pk>/adopter/": Expect(C.MANAGE_BILLING),
    "operateur/facturation/calculs/lancer/": Expect(C.MANAGE_BILLING),
    "operateur/facturation/calculs/<int:pk>/valider/": Expect(C.MANAGE_BILLING),
    "operateur/facturation/calculs/<int:pk>/refaire/": Expect(C.MANAGE_BILLING),
    "operateur/facturation/calculs/<int:pk>/emettre/": Expect(C.MANAGE_BILLING),
    "operateur/facturation/titres/<int:pk>/corriger/": Expect(C.MANAGE_BILLING),
    "operateur/facturation/calculs/<int:pk>/pes.xml": Expect(C.MANAGE_BILLING),
    "operateur/facturation/titres/pes.xml": Expect(C.MANAGE_BILLING),
    "operateur/facturation/transmissions/<int:pk>/depose/": Expect(C.MANAGE_BILLING),
    "operateur/consommations/saisir/": Expect(C.MANAGE_BILLING),
    "operateur/achats/nouvelle/": Expect(C.MANAGE_PURCHASING),
    "operateur/achats/<int:pk>/modifier/": Expect(C.MANAGE_PURCHASING),
    "operateur/achats/<int:pk>/statut/": Expect(C.MANAGE_PURCHASING),
    "operateur/achats/<int:pk>/lots/": Expect(C.MANAGE_PURCHASING),
    "operateur/achats/<int:pk>/criteres/": Expect(C.MANAGE_PURCHASING),
    "operateur/achats/<int:pk>/invitations/": Expect(C.MANAGE_PURCHASING),
    "operateur/achats/<int:pk>/besoins/membre/<int:member_pk>/": Expect(C.MANAGE_PURCHASING),
    "operateur/achats/<int:pk>/commandes/": Expect(C.MANAGE_PURCHASING),
    "operateur/achats/<int:pk>/frais/": Expect(C.MANAGE_PURCHASING),
    "operateur/achats/<int:pk>/renouveler/": Expect(C.MANAGE_PURCHASING),
    "operateur/achats/lots/<int:pk>/": Expect(C.MANAGE_PURCHASING),
    "operateur/achats/lots/<int:pk>/offres/": Expect(C.MANAGE_PURCHASING),
    "operateur/achats/lots/<int:pk>/attribution/": Expect(C.MANAGE_PURCHASING),
    "operateur/achats/offres/<int:pk>/supprimer/": Expect(C.MANAGE_PURCHASING),
    "operateur/informaticiens/planning/": Expect(C.MANAGE_STAFFING),
    "operateur/informaticiens/journal/<int:pk>/contestation/": Expect(C.MANAGE_STAFFING),
    "operateur/informaticiens/conventions/nouvelle/": Expect(C.MANAGE_STAFFING),
    "operateur/informaticiens/journees/<int:pk>/supprimer/": Expect(C.MANAGE_STAFFING),
    "operateur/informaticiens/interventions/nouvelle/": Expect(C.MANAGE_STAFFING),
    "operateur/informaticiens/absences/nouvelle/": Expect(C.MANAGE_STAFFING),
    "operateur/informaticiens/journal/saisir/": Expect(C.LOG_WORK),
    "operateur/informaticiens/consommations/": Expect(C.MANAGE_BILLING),
    "operateur/capteurs/nouveau/": Expect(C.MANAGE_IOT),
    "operateur/capteurs/<int:pk>/modifier/": Expect(C.MANAGE_IOT),
    "operateur/capteurs/<int:pk>/intervention/": Expect(C.MANAGE_IOT),
    "operateur/capteurs/passerelles/nouvelle/": Expect(C.MANAGE_IOT),
    "operateur/capteurs/passerelles/<int:pk>/modifier/": Expect(C.MANAGE_IOT),
    "operateur/instances/nouvelle/": Expect(C.MANAGE_GOVERNANCE),
    "operateur/instances/<int:pk>/membres/": Expect(C.MANAGE_GOVERNANCE),
    "operateur/instances/<int:pk>/seances/nouvelle/": Expect(C.MANAGE_GOVERNANCE),
    "operateur/instances/seances/<int:pk>/documents/": Expect(C.MANAGE_GOVERNANCE),
    "operateur/instances/seances/<int:pk>/convoquer/": Expect(C.MANAGE_GOVERNANCE),
    "operateur/instances/seances/<int:pk>/presences/": Expect(C.MANAGE_GOVERNANCE),
    "operateur/instances/registre/nouvelle/": Expect(C.MANAGE_GOVERNANCE),
    "operateur/instances/registre/<int:pk>/completer/": Expect(C.MANAGE_GOVERNANCE),
    "operateur/alertes/detection/": Expect(C.MANAGE_IOT),
    "operateur/alertes/<int:pk>/prise-en-compte/": Expect(C.MANAGE_IOT),
    "operateur/alertes/<int:pk>/resolution/": Expect(C.MANAGE_IOT),
    "operateur/assistance/synchroniser/": Expect(C.MANAGE_SUPPORT),
    "operateur/assistance/connexion/": Expect(C.MANAGE_SUPPORT),
    "operateur/assistance/entites/<int:pk>/": Expect(C.MANAGE_SUPPORT),
    "operateur/enquetes/": Expect(C.MANAGE_SURVEYS),
    "operateur/enquetes/<int:pk>/": Expect(C.MANAGE_SURVEYS),
    "operateur/enquetes/<int:pk>/invitations/": Expect(C.MANAGE_SURVEYS),
    "operateur/enquetes/<int:pk>/envoi/": Expect(C.MANAGE_SURVEYS),
    "operateur/enquetes/<int:pk>/relance/": Expect(C.MANAGE_SURVEYS),
    "operateur/enquetes/<int:pk>/cloture/": Expect(C.MANAGE_SURVEYS),
    "operateur/alertes/secteurs/nouveau/": Expect(C.MANAGE_IOT),
    "operateur/alertes/secteurs/<int:pk>/": Expect(C.MANAGE_IOT),
    "operateur/alertes/vacances/nouvelles/": Expect(C.MANAGE_IOT),
    "operateur/alertes/vacances/<int:pk>/": Expect(C.MANAGE_IOT),
    "operateur/alertes/vacances/<int:pk>/suppression/": Expect(C.MANAGE_IOT),
    "operateur/alertes/chauffage/nouveau/": Expect(C.MANAGE_IOT),
    "operateur/alertes/chauffage/<int:pk>/": Expect(C.MANAGE_IOT),
    "operateur/alertes/chauffage/<int:pk>/suppression/": Expect(C.MANAGE_IOT),
    # « Mon espace »: the member's own agents, and operator staff who do that work.
    P + "catalogue/<int:pk>/demande/": agents_and(C.DECIDE_REQUESTS),
    P + "demandes/<int:pk>/annuler/": agents_and(C.DECIDE_REQUESTS),
    P + "achats/<int:pk>/": agents_and(C.MANAGE_PURCHASING),
    P + "achats/<int:pk>/retrait/": agents_and(C.MANAGE_PURCHASING),
    P + "achats/<int:pk>/commandes/": agents_and(C.MANAGE_PURCHASING),
    P + "informaticien/journal/<int:pk>/viser/": agents_and(None),
    P + "informaticien/journal/<int:pk>/contester/": agents_and(None),
    P + "alertes/<int:pk>/prise-en-compte/": agents_and(C.MANAGE_IOT),
    P + "consentements/": agents_and(None),
    P + "consentements/<int:pk>/retrait/": agents_and(None),
    P + "enquetes/<int:pk>/": agents_and(None),
    P + "secteurs/": agents_and(C.MANAGE_IOT),
    P + "secteurs/<int:pk>/": agents_and(C.MANAGE_IOT),
    P + "passerelles/": agents_and(C.MANAGE_IOT),
    P + "passerelles/<int:pk>/": agents_and(C.MANAGE_IOT),
}


def _lot(w):
    return w.objects[Lot]


def _new_sector(w):
    """A second sector of A: the first one's meters behind become a district and its meter."""
    first, second = w.objects[MeterSector].behind.order_by("pk")
    return {"name": "Écoles", "district": first.pk, "behind": [second.pk], "active": "on"}


def _sector_change(w):
    sector = w.objects[MeterSector]
    behind = sector.behind.order_by("pk").first()
    return {"name": "Bourg (centre)", "district": sector.district_id, "behind": [behind.pk]}


def _holiday(name):
    return {"zone": "B", "name": name, "starts_on": "2031-02-08", "ends_on": "2031-02-23"}


def _profile(w, *, new_meter):
    profile = w.objects[HeatingProfile]
    meter = energy_meter(w.a, name="Mairie, chaufferie") if new_meter else profile.sensor
    return {
        "sensor": meter.pk,
        "station": profile.station_id,
        "weekdays": ["0", "1", "2"],
        "holiday_zone": "C",
        "active": "on",
    }


# Valid bodies: the write happens when the visitor may make it (WRITES_SOMETHING), so a
# refusal of the same body proves the rights, not a malformed form.
PAGE_BODIES = {
    P + "catalogue/<int:pk>/demande/": lambda w: {
        "desired_start_date": "2031-03-01",
        "message": "Pour la rentrée.",
    },
    P + "achats/<int:pk>/commandes/": lambda w: {
        "lot": _lot(w).pk,
        "ordered_on": "2026-10-05",
        "quantity": "2",
        "reference": "BC-2026-7",
    },
    P + "informaticien/journal/<int:pk>/contester/": lambda w: {"reason": "Personne n'est venu."},
    "operateur/demandes/<int:pk>/": lambda w: {"decision": "approve"},
    "operateur/catalogue/<int:pk>/prix-seul/": lambda w: {
        "size_class": "lt500",
        "yearly_price": "1 200",
        "source": "Devis d'un hébergeur, 2026",
    },
    "elus/rapports/": lambda w: {"year": "2026"},
    "operateur/acces-proconnect/<int:pk>/": lambda w: {"decision": "refuse"},
    "operateur/facturation/transmissions/<int:pk>/depose/": lambda w: {
        "deposited_on": timezone.localdate().isoformat()
    },
    "elus/references/": lambda w: {
        "staff_day_cost": "260",
        "staff_day_cost_source": "Technicien territorial, charges comprises",
    },
    "operateur/adhesions/<int:pk>/fin/": lambda w: {"end_date": "2030-12-31", "reason": "Départ"},
    "operateur/membres/<int:pk>/agents/": lambda w: {
        "first_name": "Léa",
        "last_name": "Martin",
        "email": "lea.martin@mairie.example.fr",
    },
    "operateur/alertes/<int:pk>/resolution/": lambda w: {"note": "Joint de chasse changé."},
    "operateur/assistance/connexion/": lambda w: {
        "url": "https://assistance.example.fr/apirest.php",
        "user_token": "jeton-de-test",
    },
    "operateur/assistance/entites/<int:pk>/": lambda w: {"member": ""},
    P + "alertes/<int:pk>/prise-en-compte/": lambda w: {"note": "Le plombier passe demain."},
    P + "consentements/": lambda w: {
        "sensor": w.objects[Alert].sensor_id,
        "person": "M. R.",
        "given_by": "M. R.",
        "given_on": "01/11/2026",
        "purpose": "Prévenir sa fille.",
        "contacts": "Anne R. <anne.r@example.fr>",
        "retention_days": "60",
    },
    "operateur/alertes/secteurs/nouveau/": lambda w: _new_sector(w) | {"member": w.a.pk},
    "operateur/alertes/secteurs/<int:pk>/": lambda w: _sector_change(w),
    "operateur/alertes/vacances/nouvelles/": lambda w: _holiday("Vacances d'hiver"),
    "operateur/alertes/vacances/<int:pk>/": lambda w: _holiday("Vacances d'automne"),
    "operateur/alertes/chauffage/nouveau/": lambda w: _profile(w, new_meter=True),
    "operateur/alertes/chauffage/<int:pk>/": lambda w: _profile(w, new_meter=False),
    P + "secteurs/": lambda w: _new_sector(w),
    P + "secteurs/<int:pk>/": lambda w: _sector_change(w),
    "operateur/capteurs/passerelles/nouvelle/": lambda w: {
        "eui": "B8-27-EB-FF-FE-00-AA-01",
        "name": "Château d'eau",
        "owner": w.a.pk,
    },
    "operateur/capteurs/passerelles/<int:pk>/modifier/": lambda w: {
        "name": "Toit de la mairie",
        "owner": w.a.pk,
        "commune": "",
    },
    P + "passerelles/": lambda w: {"eui": "b827ebfffe00aa02", "name": "Salle des fêtes"},
    P + "passerelles/<int:pk>/": lambda w: {"name": "Toit de l'école", "latitude": "44,8"},
    "operateur/capteurs/<int:pk>/intervention/": lambda w: {
        "kind": "battery",
        "date": "2026-11-20",
        "note": "Pile remplacée",
    },
    "operateur/instances/nouvelle/": lambda w: {
        "kind": "bureau",
        "name": "Bureau syndical",
        "notice_days": "3",
    },
    "operateur/enquetes/": lambda w: {
        "kind": "maturity",
        "year": "2031",
        "closes_on": "2031-12-31",
    },
    P + "enquetes/<int:pk>/": lambda w: {
        "offer_fit": "5",
        "ease": "5",
        "availability": "4",
        "support": "2",
        "overall": "4",
        "comment": "Merci pour l'assistance.",
    },
    "operateur/achats/<int:pk>/commandes/": lambda w: {
        "member": w.a.pk,
        "lot": _lot(w).pk,
        "ordered_on": "2026-10-05",
        "quantity": "2",
    },
}
WRITES_SOMETHING = {
    "operateur/acces-proconnect/<int:pk>/",
    P + "catalogue/<int:pk>/demande/",
    P + "demandes/<int:pk>/annuler/",
    P + "achats/<int:pk>/commandes/",
    P + "informaticien/journal/<int:pk>/viser/",
    P + "informaticien/journal/<int:pk>/contester/",
    "operateur/demandes/<int:pk>/",
    "operateur/catalogue/<int:pk>/prix-seul/",
    "elus/references/",
    "elus/rapports/",
    "operateur/facturation/transmissions/<int:pk>/depose/",
    "operateur/adhesions/<int:pk>/fin/",
    "operateur/membres/<int:pk>/agents/",
    "operateur/acces/<int:pk>/retrait/",
    "operateur/achats/<int:pk>/commandes/",
    "operateur/capteurs/<int:pk>/intervention/",
    "operateur/instances/nouvelle/",
    "operateur/instances/seances/<int:pk>/convoquer/",
    "operateur/alertes/detection/",
    "operateur/alertes/<int:pk>/prise-en-compte/",
    "operateur/alertes/<int:pk>/resolution/",
    "operateur/assistance/connexion/",
    "operateur/assistance/entites/<int:pk>/",
    P + "alertes/<int:pk>/prise-en-compte/",
    P + "consentements/",
    P + "consentements/<int:pk>/retrait/",
    "operateur/enquetes/",
    "operateur/enquetes/<int:pk>/cloture/",
    P + "enquetes/<int:pk>/",
    "operateur/alertes/secteurs/nouveau/",
    "operateur/alertes/secteurs/<int:pk>/",
    "operateur/alertes/vacances/nouvelles/",
    "operateur/alertes/vacances/<int:pk>/",
    "operateur/alertes/vacances/<int:pk>/suppression/",
    "operateur/alertes/chauffage/nouveau/",
    "operateur/alertes/chauffage/<int:pk>/",
    "operateur/alertes/chauffage/<int:pk>/suppression/",
    P + "secteurs/",
    P + "secteurs/<int:pk>/",
    "operateur/capteurs/passerelles/nouvelle/",
    "operateur/capteurs/passerelles/<int:pk>/modifier/",
    P + "passerelles/",
    P + "passerelles/<int:pk>/",
}


def walk(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from walk(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


def app_pages():
    return [(route, p) for route, p in walk() if not route.startswith(SKIPPED_PREFIXES)]


PATTERNS = dict(app_pages())
PRIVATE = [r for r, p in PATTERNS.items() if getattr(p.callback, "access", None) is None]
PRIVATE += [
    r for r, p in PATTERNS.items() if r not in PRIVATE and p.callback.access.kind != "public"
]


def test_every_view_declares_an_access_policy():
    missing = [route for route, p in app_pages() if not hasattr(p.callback, "access")]
    assert not missing, f"views without an access policy (mutualis/core/access.py): {missing}"


def test_the_rights_table_lists_every_page_that_takes_writes():
    declared = {r for r, p in PATTERNS.items() if getattr(p.callback, "access", None)}
    takes_writes = {r for r in declared if PATTERNS[r].callback.access.write is not None}
    assert takes_writes - set(PAGE_WRITES) == set(), "add these pages to PAGE_WRITES"
    assert set(PAGE_WRITES) - takes_writes == set(), "these pages take no writes any more"


def build_url(world, route: str, member) -> str:
    access = PATTERNS[route].callback.access
    values = {}
    for name in re.findall(r"<(?:\w+:)?(\w+)>", route):
        if name == "member_pk":
            values[name] = member.pk
        elif name == "pk":
            assert access.model in object_builders(), (
                f"{route}: declare the model of `pk` in the view's access policy and add a "
                f"builder for it in the app's tests/tenancy.py"
            )
            values[name] = world.objects[access.model].pk
        elif access.kind == "public":
            values[name] = "x"  # public pages show nobody's data: any value will do
        else:
            pytest.fail(f"{route}: unknown URL parameter <{name}>: teach this test to build it")
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)


def client_for(world, visitor: str) -> Client:
    client = Client()
    if visitor != "anonymous":
        client.force_login(world.users[visitor])
    return client


def _login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/connexion/")


def _may_open(access, visitor: str) -> bool:
    """Operator pages: the roles holding the page's capability."""
    return visitor in ROLES and access.capability in ROLE_CAPABILITIES[visitor]


def _post(world, client, url, route):
    body = PAGE_BODIES.get(route, lambda w: {})(world)
    before = db_state()
    response = client.post(url, body)
    return response, changes(before, db_state())


def _refused(response, status: int, changed: list[str], what: str):
    assert response.status_code == status, f"{what}: {response.status_code}, expected {status}"
    assert not changed, f"{what} was refused ({status}) but changed the database: {changed}"


@pytest.mark.parametrize(
    ("route", "visitor"), [(r, v) for r in PRIVATE for v in VISITORS], ids=lambda v: str(v)
)
def test_page_rights(db, world, route, visitor):
    access = PATTERNS[route].callback.access
    url = build_url(world, route, world.a)
    client = client_for(world, visitor)
    read = client.get(url)
    response, changed = _post(world, client, url, route)
    what = f"{visitor} POST {url}"

    if visitor == "anonymous":
        assert _login_redirect(read), f"GET {url} answers anonymous with {read.status_code}"
        assert _login_redirect(response) and not changed, f"{what}: {response.status_code}"
        return

    if access.kind == "authenticated":  # the visitor's own data only, and no writes
        assert read.status_code in (200, 302), f"GET {url}: {visitor} got {read.status_code}"
        if visitor == "agent_b":
            assert b"Commune-Alpha-Secrete" not in read.content, f"{url} leaks member A"
        _refused(response, 405, changed, what)
        return

    if access.kind == "operator" and not _may_open(access, visitor):
        assert read.status_code == 403, f"GET {url}: {visitor} got {read.status_code}"
        _refused(response, 403, changed, what)
        return
    if access.kind == "member" and visitor in ("stranger", "agent_b"):
        assert read.status_code == 404, f"GET {url}: {visitor} got in ({read.status_code})"
        _refused(response, 404, changed, what)
        return

    assert read.status_code in (200, 302, 405), f"GET {url}: {visitor} got {read.status_code}"
    expect = PAGE_WRITES.get(route)
    if expect is None:
        _refused(response, 405, changed, what)
    elif not expect.allows(visitor):
        _refused(response, 403, changed, what)
    else:
        # Allowed: done (302), or the form shown again with what to correct (200, 400).
        assert response.status_code in (200, 302, 400), f"{what}: {response.status_code}"
        if route in WRITES_SOMETHING:
            assert changed, f"{what}: the write did not happen (is the test's body valid?)"


CROSS = [r for r in PRIVATE if PATTERNS[r].callback.access.kind == "member" and "<int:pk>" in r]


@pytest.mark.parametrize("route", CROSS)
def test_own_member_with_another_members_object(db, world, route):
    """/mon-espace/<B>/…/<A's object>/ by B's agent: 404 for every method the page takes
    (405 for the others, whatever the object), and nothing changes."""
    access = PATTERNS[route].callback.access
    obj = world.objects[access.model]
    if not owned_by_a(world, obj):
        pytest.skip(f"{type(obj).__name__} is shared data, not member A's")
    url = build_url(world, route, world.b)
    client = client_for(world, "agent_b")
    read = client.get(url)
    response, changed = _post(world, client, url, route)
    assert 404 in (read.status_code, response.status_code), f"{url}: B's agent got in"
    assert read.status_code in (404, 405), f"GET {url}: B's agent got {read.status_code}"
    _refused(response, 404 if access.write else 405, changed, f"agent_b POST {url}")


def test_the_shared_objects_are_what_the_cross_member_test_skips(db, world):
    shared = {
        PATTERNS[r].callback.access.model.__name__
        for r in CROSS
        if not owned_by_a(world, world.objects[PATTERNS[r].callback.access.model])
    }
    assert shared == {"Service"}
    assert owned_by_a(world, world.objects[Campaign]) and owned_by_a(
        world, world.objects[WorkLogEntry]
    )


@pytest.mark.parametrize("route", [r for r, p in PATTERNS.items() if r not in PRIVATE])
def test_public_pages_answer(db, route):
    assert Client().get(build_url(None, route, None)).status_code < 500
