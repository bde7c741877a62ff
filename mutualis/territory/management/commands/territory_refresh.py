"""`mutualis territory refresh [--version X.Y.Z | --from-dir PATH]`: rebuild the shipped files."""

import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mutualis.territory import postcodes, sources


class Command(BaseCommand):
    # Works on files alone: no database, no need for the project's checks.
    requires_system_checks = []
    help = _(
        "Régénère les fichiers du territoire (mutualis/territory/data/) à partir d'une version "
        "du paquet npm @etalab/decoupage-administratif, puis affiche les effectifs."
    )

    def add_base_argument(self, parser, *args, **kwargs):
        # Django's own --version (print Django's version) would clash with the package version.
        if "--version" in args:
            return
        super().add_base_argument(parser, *args, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument(
            "--version",
            dest="package_version",
            default=None,
            help=_("Version du paquet, X.Y.Z (par défaut : la dernière publiée)."),
        )
        parser.add_argument(
            "--from-dir",
            help=_("Dossier data/ d'un paquet déjà décompressé (aucun accès réseau)."),
        )
        parser.add_argument(
            "--output-dir",
            default=str(sources.DATA_DIR),
            help=_("Dossier où écrire les fichiers (par défaut : celui livré avec Mutualis)."),
        )

    def handle(self, *args, **options):
        output_dir = Path(options["output_dir"])
        requested = options["package_version"]
        try:
            if options["from_dir"]:
                package_data = Path(options["from_dir"])
                if not package_data.is_dir():
                    raise CommandError(_("Dossier introuvable : %(path)s") % {"path": package_data})
                self._refresh(package_data, requested, output_dir)
            else:
                version = sources.validate_version(requested or "latest")
                with tempfile.TemporaryDirectory(prefix="mutualis-territory-") as workdir:
                    self.stdout.write(
                        _("Téléchargement de %(package)s@%(version)s…")
                        % {"package": sources.PACKAGE_NAME, "version": version}
                    )
                    package_data = sources.npm_pack(version, Path(workdir))
                    self._refresh(package_data, requested, output_dir)
        except sources.SourceError as exc:
            raise CommandError(str(exc)) from exc

    def _refresh(self, package_data: Path, requested: str | None, output_dir: Path) -> None:
        found = sources.package_version(package_data)
        if requested and found and requested != found:
            raise CommandError(
                _("Version demandée %(requested)s, mais le paquet est en version %(found)s.")
                % {"requested": requested, "found": found}
            )
        version = found or requested or "unknown"
        vintage = sources.package_vintage(package_data, version)
        data = sources.derive(package_data)
        sources.write_derived(data, output_dir)
        postcodes.write_postcodes(postcodes.derive_postcodes(package_data), output_dir)
        sources.write_source_md(output_dir, version, vintage, data.counts())
        for warning in data.warnings:
            self.stderr.write(self.style.WARNING(warning))
        counts = data.counts()
        self.stdout.write(
            _(
                "Version %(version)s (millésime %(vintage)s) : %(regions)d régions, "
                "%(departements)d départements, %(epcis)d EPCI, %(communes)d communes."
            )
            % {"version": version, "vintage": vintage or "?", **counts}
        )
        self.stdout.write(
            self.style.SUCCESS(_("Fichiers écrits dans %(path)s") % {"path": output_dir})
        )
