"""In Chromium, as a person types: « 12,5 » in « Saisir un relevé » is recorded as 12,5 (the
browser's number input turned it into 125), and the confirmation of an unusual reading is
accessible (axe-core)."""

import datetime as dt
import os
from decimal import Decimal

import pytest
from django.urls import reverse

from mutualis.catalog.tests.factories import ServiceFactory, SubscriptionFactory
from mutualis.core.tests.browser import BLOCKING_IMPACTS, format_violations, login, run_axe
from mutualis.core.tests.factories import UserFactory
from mutualis.members.tests.factories import MemberFactory
from mutualis.metering.models import UsageRecord
from mutualis.metering.tests.factories import UsageRecordFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "motdepasse-solide"


def choose_in_search_field(page, selector: str, name: str) -> None:
    """Types the start of a name into a searchable select and picks it, as a person does."""
    page.fill(selector, name[:5])
    page.click(f"{selector}__listbox li:text-is('{name}')")


def _fill(page, member, service, month: str, quantity: str) -> None:
    page.goto(reverse("metering:usage_create"))
    choose_in_search_field(page, "#id_member", member.name)
    page.select_option("#id_service", str(service.pk))
    page.fill("#id_year", "2026")
    page.fill("#id_month", month)
    page.type("#id_quantity", quantity)  # key by key, as a person types
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def test_a_decimal_comma_typed_in_the_browser_is_kept(new_context):
    member = MemberFactory()
    service = ServiceFactory()
    SubscriptionFactory(member=member, service=service, start_date=dt.date(2026, 1, 1))
    UsageRecordFactory(member=member, service=service, month=3, quantity=Decimal("12.5"))
    accountant = UserFactory(accountant=True)
    page = new_context().new_page()
    login(page, accountant.username, PASSWORD)

    _fill(page, member, service, "4", "12,5")
    assert UsageRecord.objects.get(month=4).quantity == Decimal("12.5")

    _fill(page, member, service, "5", "1 250")
    assert not UsageRecord.objects.filter(month=5).exists()
    assert "confirmez-vous 1\u00a0250 ?" in page.inner_text("main")
    blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, format_violations("usage confirmation", blocking)
    page.check("#id_confirm_quantity")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert UsageRecord.objects.get(month=5).quantity == Decimal(1250)


def test_a_member_is_found_by_typing_part_of_its_name_without_accents(new_context):
    """« Rattaché à » lists 600 communes and EPCIs: typing « merig » finds « Mérignac »; the
    form sends the member's id, and emptying the field empties the choice."""
    from mutualis.members.models import Member, MemberKind

    wanted = MemberFactory(name="Mérignac", kind=MemberKind.COMMUNE)
    for index in range(40):
        MemberFactory(name=f"Commune {index:02d}", kind=MemberKind.COMMUNE)
    manager = UserFactory(manager=True)
    page = new_context().new_page()
    login(page, manager.username, PASSWORD)
    page.goto(reverse("members:establishment_create"))

    page.fill("#id_parent", "merig")
    options = page.locator("#id_parent__listbox li")
    assert options.all_inner_texts() == ["Mérignac"]
    if os.environ.get("A11Y_SCREENSHOTS"):
        page.screenshot(path=f"{os.environ['A11Y_SCREENSHOTS']}/a11y-searchable-select.png")
    blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, format_violations("searchable select, open", blocking)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.eval_on_selector("#id_parent-select", "s => s.value") == str(wanted.pk)

    page.fill("#id_parent", "")
    page.locator("#id_name").focus()
    assert page.eval_on_selector("#id_parent-select", "s => s.value") == ""

    page.fill("#id_name", "CCAS de Mérignac")
    choose_in_search_field(page, "#id_parent", "Mérignac")
    page.select_option("#id_establishment_kind", index=1)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert Member.objects.get(name="CCAS de Mérignac").parent == wanted
