"""Every form of the project reads numbers and dates with the French fields of core.forms, and
none renders the browser's number input (it dropped the comma of « 12,5 »)."""

import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from django import forms

import mutualis
from mutualis.core.forms import DateField, DecimalField, IntegerField

PACKAGE = Path(mutualis.__file__).parent
# Django's own fields that read numbers or dates with the browser's rules or Django's formats.
DJANGO_READERS = (forms.DecimalField, forms.IntegerField, forms.FloatField, forms.DateField)


def _project_forms() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages([str(PACKAGE)], prefix="mutualis."):
        if module.name.rsplit(".", 1)[-1] in {"forms", "views"} or ".views." in module.name:
            importlib.import_module(module.name)
    found, pending = [], [forms.BaseForm]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("mutualis.") and ".tests." not in sub.__module__:
                found.append(sub)
    return found


PROJECT_FORMS = _project_forms()


def test_the_walk_finds_the_forms_of_every_app():
    apps = {cls.__module__.split(".")[1] for cls in PROJECT_FORMS}
    assert {"billing", "catalog", "members", "metering", "purchasing", "staffing"} <= apps


@pytest.mark.parametrize("form_class", PROJECT_FORMS, ids=lambda cls: cls.__qualname__)
def test_no_form_reads_numbers_or_dates_the_browsers_way(form_class):
    for name, field in form_class.base_fields.items():
        if isinstance(field, DJANGO_READERS):
            assert isinstance(field, DateField), f"{form_class.__name__}.{name}"
        assert not isinstance(field.widget, forms.NumberInput), f"{form_class.__name__}.{name}"
        if isinstance(field, DecimalField | IntegerField):
            html = field.widget.render(name, None)
            assert 'type="text"' in html
            assert 'inputmode="' in html


def test_no_source_builds_a_number_input():
    """Forms add fields in __init__ too (a price per lot, a score per criterion): the source
    is read for Django's number fields and hand-written number inputs."""
    pattern = re.compile(
        r"forms\.(DecimalField|IntegerField|FloatField|DateField)\(|NumberInput|type=\"number\""
    )
    offenders = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in PACKAGE.rglob("*")
        if path.suffix in {".py", ".html"}
        and not {"vendor", "tests"} & set(path.relative_to(PACKAGE).parts)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]
    assert offenders == []


def _admin_forms():
    from django.contrib import admin
    from django.test import RequestFactory

    from mutualis.core.models import User

    request = RequestFactory().get("/admin/")
    request.user = User(is_superuser=True, is_staff=True, is_active=True)
    for model, model_admin in admin.site._registry.items():
        if not type(model_admin).__module__.startswith("mutualis."):
            continue
        yield model.__name__, model_admin.get_form(request)
        for inline in model_admin.get_inline_instances(request):
            yield f"{model.__name__}/{inline.model.__name__}", inline.get_formset(request).form


def test_the_admin_reads_numbers_and_dates_like_the_forms():
    checked = set()
    for name, form_class in _admin_forms():
        for field_name, field in form_class.base_fields.items():
            where = f"{name}.{field_name}"
            assert not isinstance(field.widget, forms.NumberInput), where
            if isinstance(field, DJANGO_READERS):
                assert isinstance(field, DateField), where
            if isinstance(field, DecimalField | IntegerField | DateField):
                checked.add(where)
    # the days of a staffing agreement, a member's population, a decision's date
    assert {"StaffingAgreement.days", "Member.population", "Decision.date"} <= checked


@pytest.mark.django_db
def test_an_admin_page_shows_a_stored_number_the_french_way(client):
    from mutualis.core.tests.factories import UserFactory
    from mutualis.staffing.tests.factories import StaffingAgreementFactory

    agreement = StaffingAgreementFactory(days="2.5")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = client.get(f"/admin/staffing/staffingagreement/{agreement.pk}/change/")
    html = page.content.decode()
    assert 'name="days" value="2,5"' in html
    assert 'type="number"' not in html
