from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "cityzero.programmes"
    label = "programmes"
    verbose_name = _("Calls and programmes")

    def ready(self) -> None:
        from cityzero.programmes import signals  # noqa: F401  (public pages, stored files)
