from django.core.management.base import BaseCommand

from mutualis.surveys.services import REMIND_AFTER_DAYS, reminders_due


class Command(BaseCommand):
    help = (
        "Relance les membres qui n'ont pas répondu aux enquêtes ouvertes (au plus une fois "
        f"tous les {REMIND_AFTER_DAYS} jours). À lancer chaque jour (cron, minuteur systemd)."
    )

    def handle(self, *args, **options):
        mailings = reminders_due()
        members = sum(len(m.member_ids) for m in mailings)
        self.stdout.write(f"{len(mailings)} relance(s) mise(s) en file pour {members} membre(s).")
