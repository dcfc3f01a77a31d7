from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "cityzero.api"
    label = "api"
