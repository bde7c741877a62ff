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
    ContestResolution,
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
    With conflicts, or days beyond an agreement's quota, nothing is written unless they are
    accepted.

    Saving is idempotent and additive: an occurrence identical to a day already planned is
    not created again, an identical placement rule is not recorded twice, and no existing
    day is removed (a day planned by mistake is deleted from the calendars)."""
    for row in rows:
        _check_row(row)
    # One grid saved at a time per technician: two concurrent saves cannot both add a day.
    list(
        Technician.objects.select_for_update()
        .filter(pk__in={row.technician.pk for row in rows})
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    preview = planning_preview(rows)
    if preview.conflicts and not accept_conflicts:
        raise ValidationError(
            _("%(count)s conflit(s) : confirmez pour enregistrer malgré tout.")
            % {"count": len(preview.conflicts)}
        )
    if preview.overruns and not accept_conflicts:
        raise ValidationError(
            _(
                "%(count)s dépassement(s) du quota de la convention : confirmez pour "
                "enregistrer malgré tout."
            )
            % {"count": len(preview.overruns)}
        )
    planned = []
    for index, row in enumerate(rows):
        rule = {
            "agreement": row.agreement,
            "technician": row.technician,
            "weekday": row.weekday,
            "frequency": row.frequency,
            "half": row.half,
            "start_date": row.start,
            "end_date": row.end,
        }
        new_slots = [slot for slot in preview.slots if slot.key == ("row", index)]
        placement = Placement.objects.filter(**rule).order_by("pk").first()
        if placement is None:
            if not new_slots:
                continue  # nothing new: the days come from earlier rules or one-offs
            placement = Placement.objects.create(**rule, created_by=created_by)
        planned.extend(
            PlannedDay(
                technician=row.technician,
                member_id=row.agreement.member_id,
                agreement=row.agreement,
                placement=placement,
                date=slot.day,
                half=slot.half,
            )
            for slot in new_slots
        )
    PlannedDay.objects.bulk_create(planned)
    return preview


@transaction.atomic
def planned_day_delete(*, planned: PlannedDay) -> None:
    """Undoes a planned day (from a rule or one-off). The rule stays: saving its grid line
    again would plan the day again."""
    PlannedDay.objects.filter(pk=planned.pk).delete()


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


def agreement_for(
    *, member: Member, day: dt.date, technician: Technician | None = None
) -> StaffingAgreement | None:
    """The member's agreement in force that day; with a technician, the latest one listing
    them (None if none does)."""
    agreements = StaffingAgreement.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day), member=member, start_date__lte=day
    )
    if technician is not None:
        agreements = agreements.filter(technicians=technician)
    return agreements.order_by("-start_date", "pk").first()


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
    confirm_unusual_day: bool = False,
) -> WorkLogEntry:
    """Logs a day. The member's agreement must list the technician (whoever logs it); a
    public holiday or a day the technician does not work needs `confirm_unusual_day`."""
    if not perms.can_log_for(logged_by, technician):
        raise ValidationError(_("Vous ne pouvez saisir que vos propres journées."))
    if date > timezone.localdate():
        raise ValidationError({"date": _("On ne saisit pas une journée à venir.")})
    if agreement_for(member=member, day=date) is None:
        raise ValidationError(
            {"member": _("Aucune convention de mise à disposition pour ce membre à cette date.")}
        )
    agreement = agreement_for(member=member, day=date, technician=technician)
    if agreement is None:
        raise ValidationError(
            {
                "member": _(
                    "%(technician)s n'est pas affecté(e) à la convention de ce membre à cette "
                    "date : la journée ne peut pas lui être facturée."
                )
                % {"technician": technician}
            }
        )
    reason = cal.unusual_day(date, weekdays=technician.working_weekdays)
    if reason and not confirm_unusual_day:
        raise ValidationError(
            {
                "confirm_unusual_day": _(
                    "Le %(day)s est un jour férié ou non travaillé (%(reason)s) : cochez la "
                    "confirmation pour saisir cette journée."
                )
                % {"day": f"{date:%d/%m/%Y}", "reason": reason}
            }
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
    if locked.cancelled:
        raise ValidationError(_("Cette journée a été annulée par l'opérateur : rien à viser."))
    if locked.acknowledged_at is None:
        locked.acknowledged_by = user
        locked.acknowledged_at = timezone.now()
        locked.save(update_fields=["acknowledged_by", "acknowledged_at", "updated_at"])
    return locked


@transaction.atomic
def work_log_contest(*, entry: WorkLogEntry, user, reason: str) -> WorkLogEntry:
    """The member's agent disputes a logged day, with a short reason the operator reads.
    A day already signed off cannot be contested; contesting again updates the reason."""
    if user.operator_role:
        raise ValidationError(_("Seul un agent du membre conteste le journal d'intervention."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indiquez le motif de la contestation.")})
    max_length = WorkLogEntry._meta.get_field("contested_reason").max_length
    if len(reason) > max_length:
        raise ValidationError(
            {"reason": _("Motif trop long (%(max)s caractères au plus).") % {"max": max_length}}
        )
    locked = WorkLogEntry.objects.select_for_update().get(pk=entry.pk)
    if locked.acknowledged_at is not None:
        raise ValidationError(_("Cette journée est déjà visée : elle ne peut plus être contestée."))
    if locked.contest_resolution:
        raise ValidationError(
            _("L'opérateur a déjà tranché la contestation de cette journée : voyez sa réponse.")
        )
    locked.contested_by = user
    locked.contested_at = timezone.now()
    locked.contested_reason = reason
    locked.save(update_fields=["contested_by", "contested_at", "contested_reason", "updated_at"])
    return locked


@transaction.atomic
def work_log_contest_resolve(
    *, entry: WorkLogEntry, user, resolution: str, note: str, half: str = ""
) -> WorkLogEntry:
    """The operator settles an open contest, saying why (shown to the member):

    - accepted: the day is cancelled, never billed (it stays in the log, marked);
    - changed: the duration is corrected (the logged one is kept), the day is billed again;
    - rejected: the day stays as logged and is billed again.

    Who and when are recorded. The month's usage changes at its next posting."""
    if not perms.can_plan(user):
        raise ValidationError(_("Seul un responsable de l'opérateur tranche une contestation."))
    if resolution not in ContestResolution.values:
        raise ValidationError({"resolution": _("Choisissez la suite donnée à la contestation.")})
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Indiquez le motif de la décision : le membre le lira.")})
    max_length = WorkLogEntry._meta.get_field("contest_resolution_note").max_length
    if len(note) > max_length:
        raise ValidationError(
            {"note": _("Motif trop long (%(max)s caractères au plus).") % {"max": max_length}}
        )
    locked = WorkLogEntry.objects.select_for_update().get(pk=entry.pk)
    if not locked.contest_open:
        raise ValidationError(_("Cette journée n'a pas de contestation en attente."))
    fields = ["contest_resolution", "contest_resolved_by", "contest_resolved_at"]
    fields += ["contest_resolution_note", "updated_at"]
    if resolution == ContestResolution.CHANGED:
        if half not in cal.HALVES:
            raise ValidationError({"half": _("Choisissez la durée corrigée.")})
        if half == locked.half:
            raise ValidationError(
                {"half": _("La durée corrigée est celle déjà saisie : rejetez ou acceptez.")}
            )
        others = (
            WorkLogEntry.objects.select_for_update()
            .filter(technician_id=locked.technician_id, date=locked.date)
            .exclude(pk=locked.pk)
            .values_list("half", flat=True)
        )
        if any(cal.halves_overlap(half, other) for other in others):
            raise ValidationError(
                {"half": _("Le technicien a une autre journée saisie sur cette demi-journée.")}
            )
        locked.half_before_change = locked.half
        locked.half = half
        fields += ["half", "half_before_change"]
    locked.contest_resolution = resolution
    locked.contest_resolved_by = user
    locked.contest_resolved_at = timezone.now()
    locked.contest_resolution_note = note
    locked.save(update_fields=fields)
    return locked


@dataclass
class PostingReport:
    year: int
    month: int
    outcomes: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    quantities: dict[tuple[int, int], Decimal] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    # Days billed on what was worked, left out while their contest is open.
    left_out: list[WorkLogEntry] = field(default_factory=list)

    @property
    def left_out_days(self) -> Decimal:
        return sum((entry.days for entry in self.left_out), Decimal("0"))


@transaction.atomic
def staffing_usage_post(year: int, month: int, *, recorded_by=None) -> PostingReport:
    """Records, per member and service, the month's days (worked or agreed, as each agreement
    says) as one monthly usage record. Re-running replaces the figures, never adds to them.

    Days worked count unless contested: a day whose contest is open is left out (and listed
    in the report), a day whose contest was accepted is never billed; once a contest is
    settled otherwise, posting the month again bills the day."""
    first, last = cal.month_bounds(year, month)
    report = PostingReport(year, month)
    agreements = list(
        StaffingAgreement.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=first), start_date__lte=last
        ).select_related("member", "service")
    )
    month_log = WorkLogEntry.objects.filter(date__range=(first, last), agreement__in=agreements)
    report.left_out = list(
        month_log.open_contests()
        .filter(agreement__billing_basis=BillingBasis.WORKED)
        .select_related("member", "technician__user")
        .order_by("date", "member__name", "half", "pk")
    )
    worked = dict(
        month_log.billable()
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
