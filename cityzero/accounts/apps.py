from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cityzero.accounts"
    label = "accounts"
