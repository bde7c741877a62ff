from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "mutualis.governance"
    verbose_name = _("Instances et délibérations")

    def ready(self) -> None:
        from mutualis.governance import signals  # noqa: F401 (connects the receivers)
