"""`mutualis schedule run`: the recurring work that is due (core/schedule.py)."""

import signal
import time

from django.core.management.base import BaseCommand

from mutualis.core.schedule import run_due


class Command(BaseCommand):
    help = (
        "Lance les tâches périodiques qui sont dues (partitions, détection, synchronisations, "
        "relances). À lancer toutes les 5 minutes, ou une fois avec --loop."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Tourne sans fin.")
        parser.add_argument(
            "--interval", type=int, default=60, help="Secondes entre deux passages (--loop)."
        )
        parser.add_argument("--only", help="Lance cette tâche maintenant, qu'elle soit due ou non.")

    def handle(self, *args, loop=False, interval=60, only=None, **options):
        stop = []
        if loop:
            signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
        while True:
            for ran in run_due(only=only):
                state = "ok" if ran.ok else "ÉCHEC"
                self.stdout.write(f"{ran.name} : {state} {ran.message}".rstrip())
            if not loop or stop:
                return
            for _ in range(max(1, interval)):
                if stop:
                    return
                time.sleep(1)
