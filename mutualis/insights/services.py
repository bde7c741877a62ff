"""Writes of the élus' view: the references of the savings."""

from decimal import Decimal

from django.db import transaction

from mutualis.insights.models import SavingsReference


@transaction.atomic
def savings_reference_update(*, staff_day_cost: Decimal, staff_day_cost_source: str):
    reference, _created = SavingsReference.objects.select_for_update().get_or_create(
        pk=SavingsReference.SINGLETON_PK
    )
    reference.staff_day_cost_cents = int((staff_day_cost * 100).to_integral_value())
    reference.staff_day_cost_source = staff_day_cost_source.strip()
    reference.full_clean()
    reference.save()
    return reference


def report_batch_request(*, year: int, created_by=None):
    """A queued batch of reports; built on the job queue once the row is committed."""
    from mutualis.core.jobs import job_enqueue
    from mutualis.insights.models import ReportBatch

    batch = ReportBatch.objects.create(year=year, created_by=created_by)
    job_enqueue(batch)
    return batch


def report_batch_build(*, batch_id: int):
    from mutualis.core.jobs import job_run
    from mutualis.insights.models import ReportBatch

    return job_run(ReportBatch, batch_id, _build)


PROGRESS_EVERY = 10


def _build(batch, progress) -> dict:
    """The report of every member billed in the year (a titre issued to it), in one ZIP."""
    from django.utils.translation import gettext as _

    from mutualis.billing.models import Invoice
    from mutualis.billing.services.identity import operator_identity
    from mutualis.core.jobs import JobFailure
    from mutualis.insights.report import member_report_pdf, report_file_name, zip_reports
    from mutualis.insights.selectors import member_page
    from mutualis.members.models import Member

    members = list(
        Member.objects.filter(
            pk__in=Invoice.objects.filter(year=batch.year).values("member_id")
        ).order_by("search_name", "pk")
    )
    if not members:
        raise JobFailure(_("Aucun titre émis en %(year)s : pas de rapport.") % {"year": batch.year})
    name = operator_identity().name or None
    progress(_("Rapports des membres"), 0, len(members))
    reports = []
    for done, member in enumerate(members, start=1):
        page = member_page(member, batch.year)
        reports.append((report_file_name(page), member_report_pdf(page, name)))
        if done % PROGRESS_EVERY == 0 or done == len(members):
            progress(done=done)
    progress(_("Archive ZIP"))
    archive = zip_reports(reports)
    type(batch).objects.filter(pk=batch.pk).update(archive=archive, report_count=len(reports))
    return {"reports": len(reports)}
