from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "cityzero.finance"
    label = "finance"
    verbose_name = _("Finance Guidance Tool")

    def ready(self) -> None:
        from cityzero.finance import signals  # noqa: F401  (page and catalogue cache invalidation)
