from mutualis.billing.inputs import build_frames
from mutualis.billing.models import (
    AllocationRun,
    Invoice,
    PesPreparation,
    PesTransmission,
    RunStatus,
    Tariff,
)
from mutualis.billing.tests.factories import AllocationRunFactory, InvoiceFactory, TariffFactory


def _validated_run(a):
    """A validated run with its input snapshot, as a computed run keeps it."""
    run = AllocationRunFactory(status=RunStatus.VALIDATED, year=2000 + a.pk % 90)
    frames = build_frames(year=run.year, service_ids=[])
    run.members_snapshot, run.subscriptions_snapshot, run.usage_snapshot = frames.to_snapshot()
    run.fingerprint = frames.fingerprint([])
    run.save()
    return run


builders = {
    Tariff: lambda a: TariffFactory(adopted=True),
    AllocationRun: _validated_run,
    Invoice: lambda a: InvoiceFactory(member=a),
}


def _transmission(a):
    """A PES file that carried a titre of member A."""
    from mutualis.billing.models import PesTransmission, PesTransmittedDocument

    transmission = PesTransmission.objects.create(
        mode="PESALR1",
        file_name="PES_recette_test.xml",
        content=b"<xml/>",
        sha256="0" * 64,
        size=6,
        document_count=1,
        total_cents=100,
    )
    PesTransmittedDocument.objects.create(
        transmission=transmission, invoice=InvoiceFactory(member=a)
    )
    return transmission


builders[PesTransmission] = _transmission


def _preparation(a):
    """A finished preparation of a PES file that carried a titre of member A."""
    from mutualis.billing.models import PesPreparation

    return PesPreparation.objects.create(
        year=2026, status="succeeded", transmission=_transmission(a)
    )


builders[PesPreparation] = _preparation
