"""The operator lists, adds, changes and deletes school holidays and heating profiles on their
pages; a read-only operator sees them and changes nothing."""

import pytest

from mutualis.alerts.models import HeatingProfile, SchoolHoliday
from mutualis.alerts.tests.tenancy import energy_meter, make_heating_profile, station
from mutualis.core.roles import OperatorRole
from mutualis.core.tests.factories import UserFactory
from mutualis.members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client):
    client.force_login(UserFactory(operator_role=OperatorRole.MANAGER))
    return client


def test_the_operator_adds_changes_and_deletes_school_holidays(manager):
    body = {"zone": "A", "name": "Vacances d'hiver", "starts_on": "2027-02-06"}
    wrong = manager.post("/operateur/alertes/vacances/nouvelles/", body | {"ends_on": "2027-02-01"})
    assert wrong.status_code == 400 and "précède" in wrong.content.decode()
    done = manager.post("/operateur/alertes/vacances/nouvelles/", body | {"ends_on": "2027-02-21"})
    assert done.status_code == 302
    holiday = SchoolHoliday.objects.get()
    page = manager.get("/operateur/alertes/vacances/").content.decode()
    assert "Vacances d&#x27;hiver" in page and "21 février 2027" in page
    edit = f"/operateur/alertes/vacances/{holiday.pk}/"
    assert manager.post(edit, body | {"zone": "B", "ends_on": "2027-02-22"}).status_code == 302
    holiday.refresh_from_db()
    assert (holiday.zone, holiday.ends_on.day) == ("B", 22)
    assert manager.post(edit + "suppression/").status_code == 302
    assert not SchoolHoliday.objects.exists()


def test_the_operator_follows_a_building_and_changes_its_days(manager):
    member = MemberFactory()
    meter = energy_meter(member)
    body = {"sensor": meter.pk, "station": station().pk, "weekdays": ["0", "1", "3", "4"]}
    assert manager.post("/operateur/alertes/chauffage/nouveau/", body).status_code == 302
    profile = HeatingProfile.objects.get()
    assert (profile.member, profile.weekdays, profile.holiday_zone) == (member, "0134", "")
    page = manager.get("/operateur/alertes/chauffage/").content.decode()
    assert "lundi, mardi, jeudi, vendredi" in page
    again = manager.post("/operateur/alertes/chauffage/nouveau/", body)
    assert again.status_code == 400  # one profile per meter
    edit = f"/operateur/alertes/chauffage/{profile.pk}/"
    assert manager.post(edit, body | {"holiday_zone": "A", "weekdays": ["2"]}).status_code == 302
    profile.refresh_from_db()
    assert (profile.weekdays, profile.holiday_zone) == ("2", "A")
    assert manager.post(edit + "suppression/").status_code == 302
    assert not HeatingProfile.objects.exists()


def test_a_read_only_operator_sees_the_profiles_without_the_edit_links(client):
    profile = make_heating_profile(MemberFactory())
    client.force_login(UserFactory(operator_role=OperatorRole.READ_ONLY))
    page = client.get("/operateur/alertes/chauffage/").content.decode()
    assert profile.sensor.name in page and "Modifier" not in page
    assert client.post(f"/operateur/alertes/chauffage/{profile.pk}/suppression/").status_code == 403
    assert HeatingProfile.objects.exists()
