from mutualis.staffing.models import PlannedDay, StaffingAgreement, Technician, WorkLogEntry
from mutualis.staffing.tests.factories import (
    PlannedDayFactory,
    StaffingAgreementFactory,
    TechnicianFactory,
    WorkLogEntryFactory,
)


def _agreement(member):
    return StaffingAgreement.objects.filter(member=member).first() or StaffingAgreementFactory(
        member=member
    )


builders = {
    Technician: lambda a: TechnicianFactory(),
    StaffingAgreement: _agreement,
    PlannedDay: lambda a: PlannedDayFactory(agreement=_agreement(a)),
    WorkLogEntry: lambda a: WorkLogEntryFactory(agreement=_agreement(a)),
}
