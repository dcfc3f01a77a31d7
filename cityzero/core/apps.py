from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cityzero.core"
    label = "core"
