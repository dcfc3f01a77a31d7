from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "cityzero.contracts"
    label = "contracts"

    def ready(self) -> None:
        from cityzero.contracts import signals  # noqa: F401  (public page cache invalidation)
