"""The operator's existing délibérations (members.Decision without member) become entries of
the register, with their body; the memberships they decided are linked. The Decision rows and
every field that points to them stay as they were: the old data stays readable everywhere."""

from django.db import migrations


def _kind(name):
    lowered = name.lower()
    if "comité syndical" in lowered or "comite syndical" in lowered:
        return "committee"
    if "bureau" in lowered:
        return "bureau"
    return "other"


def _matiere(apps, decision):
    if apps.get_model("purchasing", "Lot").objects.filter(award_decision=decision).exists():
        return "1.1"
    if apps.get_model("staffing", "StaffingAgreement").objects.filter(decision=decision).exists():
        return "1.4"
    if apps.get_model("billing", "Tariff").objects.filter(decision=decision).exists():
        return "7.6"
    if apps.get_model("members", "Membership").objects.filter(decision=decision).exists():
        return "5.7"
    return "7.10"


def forwards(apps, schema_editor):
    Decision = apps.get_model("members", "Decision")
    Membership = apps.get_model("members", "Membership")
    Body = apps.get_model("governance", "Body")
    Deliberation = apps.get_model("governance", "Deliberation")
    for decision in Decision.objects.filter(member__isnull=True).order_by("date", "pk"):
        if Deliberation.objects.filter(decision=decision).exists():
            continue
        name = decision.body.strip() or "Comité syndical"
        body, _created = Body.objects.get_or_create(name=name, defaults={"kind": _kind(name)})
        entry = Deliberation.objects.create(
            decision=decision, body=body, matiere=_matiere(apps, decision), migrated=True
        )
        entry.memberships.set(Membership.objects.filter(decision=decision))


def backwards(apps, schema_editor):
    apps.get_model("governance", "Deliberation").objects.filter(migrated=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0001_initial"),
        ("billing", "0005_correction_bordereaux"),
        ("purchasing", "0002_supplier_siren_key_award_justification"),
        ("staffing", "0003_work_log_contest_resolution"),
        ("members", "0002_member_search_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
