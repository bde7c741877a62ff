"""The e-mails of a convocation: one per seat, with the meeting's agenda and documents."""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from mutualis.core.jobs import job_run
from mutualis.governance.models import Convocation

ATTACHMENTS_MAX_MB = 20


def _deliver(convocation: Convocation, progress) -> dict:
    meeting = convocation.meeting
    seats = list(meeting.body.seats.in_office_on(meeting.date).exclude(email="").order_by("name"))
    documents = list(convocation.documents.all())
    attachments = []
    total = 0
    for item in documents:
        with item.document.open("rb") as handle:
            content = handle.read()
        total += len(content)
        attachments.append((f"{item.title}.pdf", content, "application/pdf"))
    if total > ATTACHMENTS_MAX_MB * 1024 * 1024:
        from mutualis.core.jobs import JobFailure

        raise JobFailure(
            _("Les documents dépassent %(mb)s Mo : envoyez-les par un lien.")
            % {"mb": ATTACHMENTS_MAX_MB}
        )
    subject = _("Convocation : %(meeting)s") % {"meeting": meeting}
    progress(step=_("Envoi des convocations"), done=0, total=len(seats))
    with get_connection() as connection:
        for done, seat in enumerate(seats, start=1):
            body = render_to_string(
                "governance/email/convocation.txt",
                {
                    "seat": seat,
                    "meeting": meeting,
                    "documents": documents,
                    "operator_name": settings.OPERATOR_NAME,
                },
            )
            message = EmailMessage(subject, body, to=[seat.email], connection=connection)
            for name, content, mimetype in attachments:
                message.attach(name, content, mimetype)
            message.send()
            progress(done=done)
    return {"sent": len(seats)}


def convocation_deliver(*, convocation_id: int) -> dict | None:
    return job_run(Convocation, convocation_id, _deliver)
