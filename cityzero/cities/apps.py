from django.apps import AppConfig


class CitiesConfig(AppConfig):
    name = "cityzero.cities"
    label = "cities"

    def ready(self) -> None:
        from cityzero.cities import signals  # noqa: F401  (public page cache invalidation)
