"""`mutualis support sync`: reads the tickets modified in GLPI since the last time (for a
systemd timer or cron, e.g. every hour). Runs now, in this process, as a recorded job."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from mutualis.core.jobs import JobStatus, job_run
from mutualis.support import services
from mutualis.support.models import SupportSync, SyncTrigger
from mutualis.support.sync import run


class Command(BaseCommand):
    help = (
        "Lit dans GLPI les tickets modifiés depuis la dernière synchronisation (à programmer, "
        "par exemple toutes les heures). Relancer ne duplique rien."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--en-file",
            action="store_true",
            dest="queue",
            help="Mettre la synchronisation dans la file des tâches de fond au lieu de la faire.",
        )

    def handle(self, *args, **options):
        if options["queue"]:
            try:
                job = services.sync_request(trigger=SyncTrigger.SCHEDULE)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            self.stdout.write(f"Synchronisation n° {job.pk} mise en file d'attente.")
            return
        with transaction.atomic():
            try:
                job = services.sync_prepare(trigger=SyncTrigger.SCHEDULE)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
        job_run(SupportSync, job.pk, run)
        job.refresh_from_db()
        if job.status != JobStatus.SUCCEEDED:
            raise CommandError(job.error)
        self.stdout.write(
            f"Synchronisation n° {job.pk} terminée : {job.tickets_created} demandes ajoutées, "
            f"{job.tickets_updated} mises à jour, {len(job.unmapped_entities)} entités non "
            "rattachées."
        )
