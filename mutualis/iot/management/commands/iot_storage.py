"""`mutualis iot storage`: the readings' partitions ahead and the retention (run it daily)."""

from django.core.management.base import BaseCommand

from mutualis.iot.storage import storage_maintain


class Command(BaseCommand):
    help = (
        "Crée les partitions des mois à venir (PostgreSQL) et supprime les valeurs brutes "
        "plus anciennes que la durée de conservation. À lancer chaque jour."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--months-ahead", type=int, default=None, help="Mois créés d'avance (défaut : réglage)."
        )

    def handle(self, *args, **options):
        report = storage_maintain(months_ahead=options["months_ahead"])
        for name in report.created:
            self.stdout.write(f"partition créée : {name}")
        for name in report.dropped:
            self.stdout.write(f"supprimé (conservation) : {name}")
        if not report.created and not report.dropped:
            self.stdout.write("Rien à faire.")
