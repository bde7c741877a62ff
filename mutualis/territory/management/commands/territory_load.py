"""`mutualis territory load [--departement 33 ...]`: load the territory into the database."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mutualis.territory.services import UnknownDepartementError, territory_load
from mutualis.territory.sources import SourceError, read_source_info


class Command(BaseCommand):
    help = _(
        "Charge les régions, départements, EPCI et communes des données officielles livrées "
        "(toute la France, ou les départements donnés). Peut être relancée : met à jour "
        "populations, noms et rattachements aux EPCI sans créer de doublon."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--departement",
            "-d",
            action="append",
            dest="departements",
            metavar="CODE",
            help=_("Code du département à charger (répétable), par ex. 33 ou 2A."),
        )
        parser.add_argument(
            "--data-dir",
            help=_("Dossier des fichiers dérivés (par défaut : ceux livrés avec Mutualis)."),
        )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        interactive = self.stdout.isatty()
        info = read_source_info(options["data_dir"])
        if verbosity >= 1 and info.get("version"):
            self.stdout.write(
                _("Données : %(package)s %(version)s (millésime %(vintage)s)")
                % {
                    "package": info["package"],
                    "version": info["version"],
                    "vintage": info.get("vintage") or "?",
                }
            )

        def progress(label: str, done: int, total: int) -> None:
            if verbosity < 1:
                return
            percent = 100 if total == 0 else done * 100 // total
            line = f"  {label} : {done}/{total} ({percent} %)"
            if interactive:
                self.stdout.write(f"\r{line}", ending="\n" if done >= total else "")
                self.stdout.flush()
            else:
                self.stdout.write(line)

        try:
            report = territory_load(
                options["departements"], progress=progress, data_dir=options["data_dir"]
            )
        except (UnknownDepartementError, SourceError) as exc:
            raise CommandError(str(exc)) from exc

        if verbosity >= 1:
            for line in report.lines():
                self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                _("Territoire chargé : %(created)d création(s), %(updated)d mise(s) à jour.")
                % {"created": report.created, "updated": report.updated}
            )
        )
