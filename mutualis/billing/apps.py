from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "mutualis.billing"
    label = "billing"
    verbose_name = _("Tarifs et facturation")

    def ready(self) -> None:
        from mutualis.billing.prices import EnginePrices
        from mutualis.catalog import pricing

        pricing.register(EnginePrices())
