"""Writes on the shared staff: technicians, agreements, planning, absences, work log, and the
monthly posting of days as usage of the catalogue service (the only path to billing)."""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.catalog.models import Service, Subscription
from mutualis.catalog.services import subscription_create
from mutualis.members.models import Decision, Member
from mutualis.metering.models import Period, UsageRecord, UsageSource
from mutualis.metering.services import UsageReading, usage_record_set
from mutualis.staffing import calendar as cal
from mutualis.staffing import perms
from mutualis.staffing.models import (
    DAYS,
    Absence,
    BillingBasis,
    Placement,
    PlannedDay,
    StaffingAgreement,
    Technician,
    WorkLogEntry,
)
from mutualis.staffing.selectors import PlanningPreview, PlanningRow, planning_preview


@transaction.atomic
def technician_create(
    *, user, home_base: str = "", working_weekdays: Sequence[int] = cal.WORKWEEK
) -> Technician:
    if not user.operator_role:
        raise ValidationError(_("Un technicien fait partie du personnel de l'opérateur."))
    technician = Technician(
        user=user, home_base=home_base, working_weekdays=sorted(working_weekdays)
    )
    technician.full_clean()
    technician.save()
    return technician


def _covering_subscription(agreement: StaffingAgreement, first: dt.date, last: dt.date):
    return Subscription.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=first),
        member_id=agreement.member_id,
        service_id=agreement.service_id,
        start_date__lte=last,
    ).first()


@transaction.atomic
def agreement_subscription_ensure(*, agreement: StaffingAgreement) -> Subscription:
    """The member's subscription to the agreement's service, created from it if missing."""
    last = agreement.end_date or agreement.start_date
    existing = _covering_subscription(agreement, agreement.start_date, last)
    if existing is not None:
        return existing
    return subscription_create(
        member=agreement.member,
        service=agreement.service,
        start_date=agreement.start_date,
        end_date=agreement.end_date,
    )


@transaction.atomic
def staffing_agreement_create(
    *,
    member: Member,
    service: Service,
    reference: str,
    days: Decimal,
    per: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    billing_basis: str = BillingBasis.WORKED,
    technicians: Sequence[Technician] = (),
    decision: Decision | None = None,
) -> StaffingAgreement:
    if decision is not None and decision.member_id not in (None, member.pk):
        raise ValidationError({"decision": _("La délibération est celle d'un autre membre.")})
    agreement = StaffingAgreement(
        member=member,
        service=service,
        reference=reference,
        days=days,
        per=per,
        start_date=start_date,
        end_date=end_date,
        billing_basis=billing_basis,
        decision=decision,
    )
    agreement.full_clean()
    agreement.save()
    agreement.technicians.set(technicians)
    agreement_subscription_ensure(agreement=agreement)
    return agreement


def _check_row(row: PlanningRow) -> None:
    agreement = row.agreement
    if row.end < row.start:
        raise ValidationError(_("La fin précède le début."))
    if row.start < agreement.start_date or (agreement.end_date and row.end > agreement.end_date):
        raise ValidationError(
            _("Les dates sortent de la convention %(ref)s.") % {"ref": agreement.reference}
        )


@transaction.atomic
def planning_apply(
    *, rows: Sequence[PlanningRow], created_by, accept_conflicts: bool = False
) -> PlanningPreview:
    """Creates the placements of the grid and their occurrences (public holidays left out).
    With conflicts, nothing is written unless they are accepted."""
    for row in rows:
        _check_row(row)
    preview = planning_preview(rows)
    if preview.conflicts and not accept_conflicts:
        raise ValidationError(
            _("%(count)s conflit(s) : confirmez pour enregistrer malgré tout.")
            % {"count": len(preview.conflicts)}
        )
    planned = []
    for index, row in enumerate(rows):
        placement = Placement.objects.create(
            agreement=row.agreement,
            technician=row.technician,
            weekday=row.weekday,
            frequency=row.frequency,
            half=row.half,
            start_date=row.start,
            end_date=row.end,
            created_by=created_by,
        )
        planned.extend(
            PlannedDay(
                technician=row.technician,
                member_id=row.agreement.member_id,
                agreement=row.agreement,
                placement=placement,
                date=slot.day,
                half=slot.half,
            )
            for slot in preview.slots
            if slot.key == ("row", index)
        )
    PlannedDay.objects.bulk_create(planned)
    return preview


@transaction.atomic
def planned_day_create(
    *,
    agreement: StaffingAgreement,
    technician: Technician,
    date: dt.date,
    half: str = cal.FULL,
    note: str = "",
) -> PlannedDay:
    """A one-off intervention. Conflicts are not refused: the calendars flag them."""
    if date < agreement.start_date or (agreement.end_date and date > agreement.end_date):
        raise ValidationError({"date": _("Cette date sort de la convention.")})
    planned = PlannedDay(
        technician=technician,
        member_id=agreement.member_id,
        agreement=agreement,
        date=date,
        half=half,
        note=note,
    )
    planned.full_clean()
    planned.save()
    return planned


@transaction.atomic
def absence_create(
    *, technician: Technician, kind: str, start_date: dt.date, end_date: dt.date, note: str = ""
) -> Absence:
    absence = Absence(
        technician=technician, kind=kind, start_date=start_date, end_date=end_date, note=note
    )
    absence.full_clean()
    absence.save()
    return absence


def agreement_for(*, member: Member, day: dt.date) -> StaffingAgreement | None:
    return (
        StaffingAgreement.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day), member=member, start_date__lte=day
        )
        .order_by("-start_date", "pk")
        .first()
    )


@transaction.atomic
def work_log_create(
    *,
    technician: Technician,
    member: Member,
    date: dt.date,
    half: str,
    category: str,
    tasks: str,
    logged_by,
    support_reference: str = "",
) -> WorkLogEntry:
    if not perms.can_log_for(logged_by, technician):
        raise ValidationError(_("Vous ne pouvez saisir que vos propres journées."))
    if date > timezone.localdate():
        raise ValidationError({"date": _("On ne saisit pas une journée à venir.")})
    agreement = agreement_for(member=member, day=date)
    if agreement is None:
        raise ValidationError(
            {"member": _("Aucune convention de mise à disposition pour ce membre à cette date.")}
        )
    taken = WorkLogEntry.objects.select_for_update().filter(technician=technician, date=date)
    if any(cal.halves_overlap(half, other) for other in taken.values_list("half", flat=True)):
        raise ValidationError({"half": _("Cette demi-journée est déjà saisie.")})
    entry = WorkLogEntry(
        technician=technician,
        member=member,
        agreement=agreement,
        date=date,
        half=half,
        category=category,
        tasks=tasks,
        support_reference=support_reference,
        logged_by=logged_by,
    )
    entry.full_clean(validate_constraints=False)
    entry.save()
    return entry


@transaction.atomic
def work_log_acknowledge(*, entry: WorkLogEntry, user) -> WorkLogEntry:
    """The member's agent signs off a logged day; once signed, it stays signed."""
    if user.operator_role:
        raise ValidationError(_("Seul un agent du membre vise le journal d'intervention."))
    locked = WorkLogEntry.objects.select_for_update().get(pk=entry.pk)
    if locked.acknowledged_at is None:
        locked.acknowledged_by = user
        locked.acknowledged_at = timezone.now()
        locked.save(update_fields=["acknowledged_by", "acknowledged_at", "updated_at"])
    return locked


@dataclass
class PostingReport:
    year: int
    month: int
    outcomes: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    quantities: dict[tuple[int, int], Decimal] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


@transaction.atomic
def staffing_usage_post(year: int, month: int, *, recorded_by=None) -> PostingReport:
    """Records, per member and service, the month's days (worked or agreed, as each agreement
    says) as one monthly usage record. Re-running replaces the figures, never adds to them."""
    first, last = cal.month_bounds(year, month)
    report = PostingReport(year, month)
    agreements = list(
        StaffingAgreement.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=first), start_date__lte=last
        ).select_related("member", "service")
    )
    worked = dict(
        WorkLogEntry.objects.filter(date__range=(first, last), agreement__in=agreements)
        .values("agreement_id")
        .annotate(days=Sum(DAYS))
        .values_list("agreement_id", "days")
    )
    totals: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    subjects: dict[tuple[int, int], StaffingAgreement] = {}
    for agreement in agreements:
        key = (agreement.member_id, agreement.service_id)
        if agreement.billing_basis == BillingBasis.AGREED:
            days = cal.agreed_days_in_month(
                amount=agreement.days,
                per=agreement.per,
                agreement_start=agreement.start_date,
                agreement_end=agreement.end_date,
                year=year,
                month=month,
            )
        else:
            days = Decimal(worked.get(agreement.pk) or 0)
        totals[key] += days
        subjects.setdefault(key, agreement)
    # A member whose figures vanished since the last run goes back to zero.
    previous = {
        (r.member_id, r.service_id): r
        for r in UsageRecord.objects.filter(
            source=UsageSource.STAFFING, period=Period.MONTH, year=year, month=month
        ).select_related("member", "service")
    }
    for key in previous:
        totals.setdefault(key, Decimal("0"))
    for key, days in sorted(totals.items()):
        if key not in subjects:
            member, service = previous[key].member, previous[key].service
        else:
            agreement = subjects[key]
            member, service = agreement.member, agreement.service
            if _covering_subscription(agreement, first, last) is None:
                try:
                    agreement_subscription_ensure(agreement=agreement)
                except ValidationError as error:
                    report.errors.append(f"{member.name} : {' '.join(error.messages)}")
                    continue
        quantity = days.quantize(Decimal("0.001"))
        try:
            _record, outcome = usage_record_set(
                reading=UsageReading(
                    member=member,
                    service=service,
                    period=Period.MONTH,
                    year=year,
                    month=month,
                    quantity=quantity,
                ),
                source=UsageSource.STAFFING,
                recorded_by=recorded_by,
                note=_("Informaticien mutualisé %(month)02d/%(year)s")
                % {"month": month, "year": year},
            )
        except ValidationError as error:
            report.errors.append(f"{member.name} : {' '.join(error.messages)}")
            continue
        report.outcomes[outcome] += 1
        report.quantities[key] = quantity
    return report
