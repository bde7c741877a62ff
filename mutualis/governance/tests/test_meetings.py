import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from mutualis.governance import services
from mutualis.governance.models import Convocation
from mutualis.governance.tests.factories import BodyFactory, SeatFactory

pytestmark = pytest.mark.django_db
MEETING = dt.date(2026, 12, 10)


def _committee(seats=12):
    body = BodyFactory()
    members = [SeatFactory(body=body) for _ in range(seats)]
    SeatFactory(body=body, votes=0, name="Suppléant")
    SeatFactory(body=body, start_date=dt.date(2014, 1, 1), end_date=dt.date(2019, 12, 31))
    return body, members


def _meeting(body):
    return services.meeting_create(
        body=body, date=MEETING, agenda=["Tarifs 2027", "Budget"], place="Bordeaux"
    )


def test_the_convocation_is_mailed_with_its_documents_and_recorded_in_time(
    django_capture_on_commit_callbacks,
):
    body, _members = _committee()
    meeting = _meeting(body)
    services.meeting_document_add(
        meeting=meeting,
        title="Note de synthèse",
        document=SimpleUploadedFile("n.pdf", b"%PDF-1.4 note", "application/pdf"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        convocation = services.convocation_send(
            meeting=meeting, user=None, today=dt.date(2026, 12, 3)
        )
    convocation.refresh_from_db()
    assert convocation.status == "succeeded"
    assert convocation.clear_days == 6 and convocation.in_time
    assert list(convocation.documents.values_list("title", flat=True)) == ["Note de synthèse"]
    # Every seat in office (the substitute too), not the delegate whose term ended.
    assert len(mail.outbox) == 13
    message = mail.outbox[0]
    assert "Tarifs 2027" in message.body
    assert message.attachments[0][0] == "Note de synthèse.pdf"


def test_a_late_convocation_is_refused_unless_accepted_then_recorded_as_late():
    body, _ = _committee()
    meeting = _meeting(body)
    with pytest.raises(ValidationError, match="Hors délai : 3 jours francs"):
        services.convocation_send(meeting=meeting, user=None, today=dt.date(2026, 12, 6))
    assert not Convocation.objects.exists()
    convocation = services.convocation_send(
        meeting=meeting, user=None, today=dt.date(2026, 12, 6), accept_late=True
    )
    assert convocation.clear_days == 3 and not convocation.in_time
    assert Convocation.objects.get().in_time is False


def test_quorum_counts_present_voting_members_and_not_proxies():
    body, members = _committee()
    meeting = _meeting(body)
    present = {seat.pk for seat in members[:6]}
    quorum = services.attendance_record(
        meeting=meeting, present=present, proxies={members[6].pk: members[0].pk}
    )
    assert quorum == {"in_office": 12, "present": 6, "proxies": 1, "needed": 7, "met": False}
    present.add(members[7].pk)
    assert services.attendance_record(meeting=meeting, present=present, proxies={})["met"]


def test_a_member_holds_one_proxy_and_gives_it_to_someone_present():
    body, members = _committee()
    meeting = _meeting(body)
    with pytest.raises(ValidationError):
        services.attendance_record(
            meeting=meeting,
            present={members[0].pk},
            proxies={members[1].pk: members[0].pk, members[2].pk: members[0].pk},
        )
    with pytest.raises(ValidationError):
        services.attendance_record(
            meeting=meeting, present={members[0].pk}, proxies={members[1].pk: members[2].pk}
        )
