from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "cityzero.knowledge"
    label = "knowledge"

    def ready(self) -> None:
        from cityzero.knowledge import signals  # noqa: F401  (page cache, stored files)
