"""RGAA / WCAG 2.1 AA: axe-core over the shared-staff pages, as a manager and as an agent."""

import datetime as dt
from decimal import Decimal

import pytest

from mutualis.core.roles import OperatorRole
from mutualis.core.tests.browser import (
    BLOCKING_IMPACTS,
    check_accessibility,
    format_violations,
    login,
    run_axe,
)
from mutualis.core.tests.factories import UserFactory
from mutualis.members.tests.factories import AgentAccessFactory
from mutualis.staffing.services import work_log_contest, work_log_contest_resolve
from mutualis.staffing.tests.factories import (
    AbsenceFactory,
    PlannedDayFactory,
    StaffingAgreementFactory,
    TechnicianFactory,
    WorkLogEntryFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "motdepasse-solide"


def test_shared_staff_pages(new_context):
    technician = TechnicianFactory(user__first_name="Thomas", user__last_name="Lefèvre")
    agreement = StaffingAgreementFactory(technicians=[technician])
    PlannedDayFactory(agreement=agreement, technician=technician, date=dt.date(2026, 9, 8))
    PlannedDayFactory(agreement=agreement, technician=technician, date=dt.date(2026, 9, 10))
    AbsenceFactory(
        technician=technician, start_date=dt.date(2026, 9, 10), end_date=dt.date(2026, 9, 10)
    )
    WorkLogEntryFactory(agreement=agreement, technician=technician, date=dt.date(2026, 9, 8))
    manager = UserFactory(username="resp", operator_role=OperatorRole.MANAGER)
    agent = AgentAccessFactory(member=agreement.member, user__username="agent").user

    page = new_context().new_page()
    login(page, manager.username, PASSWORD)
    base = "/operateur/informaticiens/"
    for url in [
        f"{base}?annee=2026",
        f"{base}techniciens/{technician.pk}/?mois=2026-09",
        f"{base}conventions/{agreement.pk}/",
        f"{base}journal/",
        f"{base}journal/saisir/",
    ]:
        check_accessibility(page, url)
    # The grid and its preview, with a conflict (checked without reloading).
    page.goto(f"{base}planning/?start=2026-09-01&end=2026-09-30")
    page.select_option("#id_form-0-weekday", "3")
    page.select_option("#id_form-0-half", "am")  # 10/09: a full day is planned already
    page.click("button[value=preview]")
    page.wait_for_selector("#apercu")
    assert page.locator("[role=alert]").count() >= 1
    blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, format_violations("planning preview", blocking)

    agent_page = new_context().new_page()
    login(agent_page, agent.username, PASSWORD)
    check_accessibility(
        agent_page, f"/mon-espace/{agreement.member.pk}/informaticien/?mois=2026-09"
    )


def test_contest_and_quota_pages(new_context):
    technician = TechnicianFactory(user__first_name="Thomas", user__last_name="Lefèvre")
    agreement = StaffingAgreementFactory(technicians=[technician], days=Decimal("1"))
    for day in (8, 10):  # two days in a week of one: beyond the quota
        PlannedDayFactory(agreement=agreement, technician=technician, date=dt.date(2026, 9, day))
    entries = [
        WorkLogEntryFactory(agreement=agreement, technician=technician, date=dt.date(2026, 9, day))
        for day in (8, 10, 15)
    ]
    manager = UserFactory(username="resp", operator_role=OperatorRole.MANAGER)
    agent = AgentAccessFactory(member=agreement.member, user__username="agent").user
    for entry in entries:
        work_log_contest(entry=entry, user=agent, reason="Le technicien n'est pas venu.")
    work_log_contest_resolve(
        entry=entries[1], user=manager, resolution="changed", note="Matin seul.", half="am"
    )
    work_log_contest_resolve(entry=entries[2], user=manager, resolution="rejected", note="Venu.")

    page = new_context().new_page()
    login(page, manager.username, PASSWORD)
    base = "/operateur/informaticiens/"
    for url in [
        f"{base}contestations/",
        f"{base}journal/{entries[0].pk}/contestation/",
        f"{base}conventions/{agreement.pk}/?annee=2026",
        f"{base}membres/{agreement.member_id}/?mois=2026-09",
    ]:
        check_accessibility(page, url)
    # A refused decision shows its errors.
    page.goto(f"{base}journal/{entries[0].pk}/contestation/")
    page.check("input[name=resolution][value=changed]")
    page.fill("#id_note", "Corrigée.")
    page.click("button[type=submit]:has-text('Enregistrer la décision')")
    page.wait_for_selector("[role=alert]")
    blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, format_violations("contest errors", blocking)
    # The grid's preview with a quota overrun.
    page.goto(f"{base}planning/?start=2026-09-07&end=2026-09-13")
    page.select_option("#id_form-0-agreement", str(agreement.pk))
    page.select_option("#id_form-0-technician", str(technician.pk))
    page.select_option("#id_form-0-weekday", "2")  # a third day in a week of one
    page.click("button[value=preview]")
    page.wait_for_selector("#apercu")
    assert "quota" in page.inner_text("section[aria-labelledby=apercu]")
    blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, format_violations("planning preview with overrun", blocking)

    agent_page = new_context().new_page()
    login(agent_page, agent.username, PASSWORD)
    check_accessibility(
        agent_page, f"/mon-espace/{agreement.member.pk}/informaticien/?mois=2026-09"
    )
