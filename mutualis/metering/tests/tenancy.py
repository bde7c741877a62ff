from mutualis.metering.models import UsageImportJob, UsageRecord
from mutualis.metering.tests.factories import UsageImportJobFactory, UsageRecordFactory

builders = {
    UsageRecord: lambda a: UsageRecordFactory(member=a),
    UsageImportJob: lambda a: UsageImportJobFactory(),
}
