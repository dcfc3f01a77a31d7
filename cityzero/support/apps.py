from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "cityzero.support"
    label = "support"
    verbose_name = _("Ask an expert")

    def ready(self) -> None:
        from cityzero.support import signals  # noqa: F401  (stored files follow their rows)
