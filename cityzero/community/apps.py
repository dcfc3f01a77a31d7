from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "cityzero.community"
    label = "community"
    verbose_name = _("Community")

    def ready(self) -> None:
        from cityzero.community import signals  # noqa: F401  (cached pages, stored files)
