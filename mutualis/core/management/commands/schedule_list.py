"""`mutualis schedule list`: each recurring task, its period and its last run."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from mutualis.core.schedule import status


class Command(BaseCommand):
    help = "Liste les tâches périodiques et leur dernier passage."

    def handle(self, *args, **options):
        for task, row in status():
            if row is None or row.started_at is None:
                last = "jamais lancée"
            else:
                state = {True: "réussie", False: "ÉCHEC", None: "en cours"}[row.ok]
                at = timezone.localtime(row.started_at).strftime("%d/%m/%Y %H:%M")
                last = f"{at} {state} {row.message}".rstrip()
            self.stdout.write(f"{task.name:<22} tous les {task.every}  {task.label} — {last}")
