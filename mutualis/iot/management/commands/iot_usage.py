"""`mutualis iot usage`: the month's active sensors posted as usage of the platform's service."""

from django.core.management.base import BaseCommand, CommandError

from mutualis.iot.usage import iot_usage_post


class Command(BaseCommand):
    help = (
        "Enregistre les capteurs actifs d'un mois (ou d'une année) de chaque membre comme "
        "consommation du service « Plateforme objets connectés ». Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--month", type=int, help="1 à 12 ; sans mois : toute l'année")

    def handle(self, *args, year, month=None, **options):
        months = [month] if month else range(1, 13)
        if any(not 1 <= m <= 12 for m in months):
            raise CommandError("Le mois va de 1 à 12.")
        for m in months:
            report = iot_usage_post(year, m)
            outcomes = ", ".join(f"{n} {k}" for k, n in sorted(report.outcomes.items()))
            sensors = sum(report.sensors.values())
            self.stdout.write(
                f"{m:02d}/{year} : {sensors} capteurs actifs ; {outcomes or 'aucun relevé'}"
            )
            for error in report.errors:
                self.stderr.write(f"  {error}")
