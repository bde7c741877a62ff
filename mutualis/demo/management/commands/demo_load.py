import time
from importlib import import_module

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand

from mutualis.demo.services import (
    DEPARTEMENT,
    PASSWORD,
    demo_load,
    demo_logins,
    demo_totp_secret,
)


class Command(BaseCommand):
    help = "Charge l'opérateur de démonstration (Gironde). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--address",
            default="http://127.0.0.1:8000",
            help="L'adresse où la démonstration est servie (affichée à la fin).",
        )

    def handle(self, *args, **options):
        self.stdout.write(f"Territoire : chargement du département {DEPARTEMENT}…")
        call_command("territory_load", departement=[DEPARTEMENT], stdout=self.stdout)
        counts = demo_load()
        # Billing after staffing and iot: its run bills the days the staffing demo and the
        # sensors the iot demo have posted as usage; governance: it records the meeting that
        # adopted the tariffs billing loaded; alerts after iot (its sectors and heated building
        # sit on the iot demo's fleet); surveys (answers of the adherents); insights last
        # (reference prices for the savings).
        for app in (
            "purchasing",
            "staffing",
            "iot",
            "alerts",
            "billing",
            "governance",
            "surveys",
            "support",
            "insights",
            "proconnect",
        ):
            try:
                module = import_module(f"mutualis.{app}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"mutualis.{app}.demo":
                    raise
                continue
            self.stdout.write(f"Démonstration : {apps.get_app_config(app).verbose_name}…")
            started = time.monotonic()
            counts.update(module.load_demo())
            self.stdout.write(f"  prêt en {time.monotonic() - started:.1f} s")
        self.stdout.write(
            "Opérateur de démonstration prêt : "
            + ", ".join(f"{value} {key}" for key, value in counts.items())
        )
        self.stdout.write("")
        self.stdout.write(f"Identifiants de démonstration (mot de passe pour tous : {PASSWORD}) :")
        for login in demo_logins():
            self.stdout.write(f"  login: {login.username:<12} {login.label}")
        self.stdout.write("")
        self.stdout.write(
            "Double authentification (admin, responsable, comptable) : clé TOTP de démonstration "
            f"{demo_totp_secret()} à ajouter dans une application d'authentification, ou le "
            "code du moment avec `.venv/bin/mutualis demo code`."
        )
        self.stdout.write(f"Ouvrez {options['address']} et connectez-vous.")
