"""The élus' page of a member: what it paid, used and saved, for the operator's read-only
role (which lands there) and the member's own agents; another member's page is a 404, and
comparisons never name another member."""

import datetime as dt
from decimal import Decimal

from mutualis.catalog.models import ReferencePrice
from mutualis.core.tests.factories import UserFactory
from mutualis.insights import selectors
from mutualis.insights.services import savings_reference_update
from mutualis.members.models import MemberKind
from mutualis.members.size import SizeClass, size_class
from mutualis.members.tests.factories import AgentAccessFactory, MemberFactory
from mutualis.staffing.tests.factories import StaffingAgreementFactory, WorkLogEntryFactory


def test_size_classes():
    assert size_class(250) == SizeClass.UNDER_500
    assert size_class(500) == SizeClass.UNDER_2000
    assert size_class(4000) == SizeClass.UNDER_5000
    assert size_class(None) == SizeClass.NO_POPULATION
    assert size_class(120000) == SizeClass.LARGE


def test_pooled_services_against_a_reference_price(issued_titres, world):
    bourg = world["communes"][1]  # 4 000 inhabitants
    ReferencePrice.objects.create(
        service=world["certificats"],
        size_class=SizeClass.UNDER_5000,
        yearly_cents=50000,
        source="Offre d'un prestataire de certificats, 2026",
    )
    savings = selectors.member_savings(bourg, 2026)
    pooled = savings.parts[1]
    lines = {line.label: line for line in pooled.lines}
    certificats = lines[world["certificats"].name]
    assert certificats.paid_cents == 12400
    assert certificats.saving_cents == 50000 - 12400
    assert "Offre d'un prestataire" in certificats.source
    ent = lines[world["ent"].name]
    assert ent.alone_cents is None and "pas de prix" in ent.method
    assert savings.total_cents == 37600


def test_a_dearer_service_is_a_negative_saving(issued_titres, world):
    bourg = world["communes"][1]
    ReferencePrice.objects.create(
        service=world["certificats"],
        size_class=SizeClass.UNDER_5000,
        yearly_cents=10000,
        source="Tarif public",
    )
    assert selectors.member_savings(bourg, 2026).total_cents == 10000 - 12400


def test_shared_staff_at_the_cost_of_a_part_time_hire(db):
    agreement = StaffingAgreementFactory()
    for day in (8, 9):
        WorkLogEntryFactory(agreement=agreement, date=dt.date(2026, 9, day))
    WorkLogEntryFactory(agreement=agreement, date=dt.date(2026, 9, 10), half="am")
    member = agreement.member
    assert selectors.technician_days(member, 2026) == Decimal("2.5")
    without = selectors.member_savings(member, 2026).parts[2]
    assert without.saving_cents is None  # no cost of a day yet: no saving
    savings_reference_update(staff_day_cost=Decimal("260"), staff_day_cost_source="Grille")
    staff = selectors.member_savings(member, 2026, paid={agreement.service_id: 80000}).parts[2]
    assert staff.lines[0].alone_cents == 65000
    assert staff.saving_cents == 65000 - 80000
    assert staff.lines[0].source == "Grille"


def test_read_only_lands_on_the_elus_view_and_opens_any_member(issued_titres, world, client):
    client.force_login(UserFactory(read_only=True))
    assert client.get("/").url == "/elus/"
    bourg = world["communes"][1]
    page = client.get(f"/elus/{bourg.pk}/?annee=2026")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Nous avons payé" in text and "Ce que nous avons économisé" in text
    assert "Méthode" in text


def test_agents_see_their_own_member_only(world, client):
    bourg, cerons = world["communes"][1], world["communes"][2]
    agent = UserFactory()
    AgentAccessFactory(user=agent, member=bourg)
    client.force_login(agent)
    assert client.get("/").url == "/mon-espace/"
    assert client.get("/elus/").url == f"/elus/{bourg.pk}/"
    assert client.get(f"/elus/{bourg.pk}/").status_code == 200
    assert client.get(f"/elus/{cerons.pk}/").status_code == 404


def test_an_elected_agent_lands_on_the_page(world, client):
    bourg = world["communes"][1]
    elu = UserFactory()
    AgentAccessFactory(user=elu, member=bourg, is_elected=True)
    client.force_login(elu)
    assert client.get("/").url == "/elus/"


def test_the_comparison_is_anonymous(issued_titres, world, client):
    bourg = world["communes"][1]
    peers = [
        MemberFactory(kind=MemberKind.COMMUNE, population=2000 + 100 * i, name=f"Pair {i}")
        for i in range(5)
    ]
    from mutualis.billing.tests.factories import InvoiceFactory

    for i, peer in enumerate(peers):
        InvoiceFactory(member=peer, year=2026, total_cents=10000 * (i + 1))
    page = selectors.member_page(bourg, 2026)
    paid = page.comparisons[0]
    assert paid.group is not None and paid.group.count == 6
    client.force_login(UserFactory(read_only=True))
    text = client.get(f"/elus/{bourg.pk}/?annee=2026").content.decode()
    assert "Médiane" in text
    assert not any(peer.name in text for peer in peers)
    small = world["communes"][0]  # alone in its class: no quartiles
    assert selectors.member_page(small, 2026).comparisons[0].group is None
