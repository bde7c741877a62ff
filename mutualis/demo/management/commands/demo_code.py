from django.core.management.base import BaseCommand

from mutualis.demo.services import demo_code


class Command(BaseCommand):
    help = (
        "Affiche le code de double authentification du moment des comptes de démonstration "
        "(admin, responsable, comptable)."
    )

    def handle(self, *args, **options):
        self.stdout.write(demo_code())
