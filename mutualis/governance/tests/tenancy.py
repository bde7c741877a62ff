from django.core.files.uploadedfile import SimpleUploadedFile

from mutualis.governance.models import Body, Deliberation, Meeting
from mutualis.governance.tests.factories import (
    BodyFactory,
    MeetingFactory,
    SeatFactory,
    deliberation,
)


def _body(a):
    body = BodyFactory(name="Comité syndical des tests")
    SeatFactory(body=body, represents=a)
    return body


def _meeting(a):
    return MeetingFactory(body=_body(a), date="2099-06-15")


builders = {
    Body: _body,
    Meeting: _meeting,
    Deliberation: lambda a: deliberation(
        body=_body(a),
        number="2025-T1",
        signed_document=SimpleUploadedFile("d.pdf", b"%PDF-1.4 test", "application/pdf"),
    ),
}
