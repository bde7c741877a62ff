from mutualis.metering.models import UsageRecord
from mutualis.metering.tests.factories import UsageRecordFactory

builders = {
    UsageRecord: lambda a: UsageRecordFactory(member=a),
}
