from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "cityzero.knowledge"
    label = "knowledge"
