from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "cityzero.community"
    label = "community"
