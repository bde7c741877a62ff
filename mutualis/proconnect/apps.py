from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProConnectConfig(AppConfig):
    name = "mutualis.proconnect"
    label = "proconnect"
    verbose_name = _("Connexion ProConnect")
