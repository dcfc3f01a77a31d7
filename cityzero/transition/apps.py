from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransitionConfig(AppConfig):
    name = "cityzero.transition"
    label = "transition"
    verbose_name = _("Climate Transition Map")

    def ready(self) -> None:
        from cityzero.transition import signals  # noqa: F401  (public page cache invalidation)
