from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "cityzero.monitoring"
    label = "monitoring"
    verbose_name = _("Implementation monitoring")

    def ready(self) -> None:
        from cityzero.monitoring import signals  # noqa: F401  (cache and stored files)
