from django.db import migrations


def number_existing_correction_bordereaux(apps, schema_editor):
    """Réductions and annulations issued before they travelled in the PES file: one bordereau
    d'annulation/réduction per issuing (run and date), numbered in the order of the documents
    within each exercise, in the series « BR » (services/invoices.py)."""
    Invoice = apps.get_model("billing", "Invoice")
    InvoiceCounter = apps.get_model("billing", "InvoiceCounter")
    batches = {}
    corrections = Invoice.objects.filter(
        kind__in=["reduction", "cancellation"], bordereau__isnull=True
    ).order_by("year", "number")
    for invoice in corrections:
        batches.setdefault(invoice.year, {}).setdefault(
            (invoice.run_id, invoice.issued_on), []
        ).append(invoice.pk)
    for year, by_batch in batches.items():
        counter, _created = InvoiceCounter.objects.get_or_create(year=year, series="BR")
        first = counter.last_number + 1
        for number, pks in enumerate(by_batch.values(), start=first):
            # Invoice's manager refuses update(): the historical model has the plain manager.
            Invoice.objects.filter(pk__in=pks).update(bordereau=number)
        counter.last_number = first + len(by_batch) - 1
        counter.save(update_fields=["last_number"])


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0004_run_corrections"),
    ]

    operations = [
        migrations.RunPython(number_existing_correction_bordereaux, migrations.RunPython.noop),
    ]
