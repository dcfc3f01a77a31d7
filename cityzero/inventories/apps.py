from django.apps import AppConfig


class InventoriesConfig(AppConfig):
    name = "cityzero.inventories"
    label = "inventories"

    def ready(self) -> None:
        from cityzero.inventories import signals  # noqa: F401  (summary cache invalidation)
