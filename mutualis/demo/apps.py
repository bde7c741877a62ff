from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "mutualis.demo"
    label = "demo"
    verbose_name = "Démonstration"
