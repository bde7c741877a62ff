from django.core.management.base import BaseCommand, CommandError

from mutualis.staffing.services import staffing_usage_post


class Command(BaseCommand):
    help = (
        "Enregistre les jours de l'informaticien mutualisé d'un mois (ou d'une année) comme "
        "consommations du service du catalogue. Idempotent : relancer remplace les chiffres."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--month", type=int, help="1 à 12 ; sans mois : toute l'année")

    def handle(self, *args, year, month=None, **options):
        months = [month] if month else range(1, 13)
        if any(not 1 <= m <= 12 for m in months):
            raise CommandError("Le mois va de 1 à 12.")
        for m in months:
            report = staffing_usage_post(year, m)
            outcomes = ", ".join(f"{n} {k}" for k, n in sorted(report.outcomes.items()))
            self.stdout.write(f"{m:02d}/{year} : {outcomes or 'aucun relevé'}")
            for entry in report.left_out:
                self.stdout.write(
                    f"  non facturée (contestation en attente) : {entry.date:%d/%m/%Y} "
                    f"{entry.member.name} — {entry.technician} ({entry.get_half_display()})"
                )
            for error in report.errors:
                self.stderr.write(f"  {error}")
