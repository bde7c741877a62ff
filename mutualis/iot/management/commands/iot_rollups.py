"""`mutualis iot rollups`: rebuilds the hourly and daily rollups from the readings kept."""

from django.core.management.base import BaseCommand, CommandError

from mutualis.core.numbers import InputError, format_date, parse_date
from mutualis.iot.rollups import rollups_rebuild


class Command(BaseCommand):
    help = (
        "Recalcule les agrégats horaires et quotidiens depuis les valeurs brutes conservées "
        "(par défaut toute la période conservée)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--depuis", dest="since", help="Premier jour (31/01/2026).")
        parser.add_argument("--jusqu-au", dest="until", help="Dernier jour, inclus.")
        parser.add_argument(
            "--capteur", dest="sensors", type=int, action="append", help="Numéro (répétable)."
        )

    def handle(self, *args, **options):
        try:
            since = parse_date(options["since"], required=False)
            until = parse_date(options["until"], required=False)
        except InputError as error:
            raise CommandError(str(error)) from error
        if since and until and since > until:
            raise CommandError("La période est vide : --depuis après --jusqu-au.")
        days = rollups_rebuild(
            since=since,
            until=until,
            sensor_ids=options["sensors"],
            progress=lambda day: self.stdout.write(f"{format_date(day)} recalculé"),
        )
        self.stdout.write(f"{days} jour(s) recalculé(s).")
