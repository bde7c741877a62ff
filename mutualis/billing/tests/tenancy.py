from mutualis.billing.models import AllocationRun, Invoice, RunStatus, Tariff
from mutualis.billing.tests.factories import AllocationRunFactory, InvoiceFactory, TariffFactory

builders = {
    Tariff: lambda a: TariffFactory(adopted=True),
    AllocationRun: lambda a: AllocationRunFactory(
        status=RunStatus.VALIDATED, year=2000 + a.pk % 90
    ),
    Invoice: lambda a: InvoiceFactory(member=a),
}
