from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "mutualis.audit"
    verbose_name = _("Historique des modifications")

    def ready(self) -> None:
        from mutualis.audit import receivers  # noqa: F401 (connects the receivers)
