"""Factors, exclusions and inventory settings feed the summaries: a change drops cached ones."""

from django.db.models.signals import post_delete, post_save

from cityzero.core.cache import bump_public_data_version
from cityzero.inventories.models import Exclusion, Inventory, LocalFactor, NationalFactor


def _bump(**kwargs) -> None:
    bump_public_data_version()


for model in (NationalFactor, LocalFactor, Exclusion, Inventory):
    post_save.connect(_bump, sender=model, dispatch_uid=f"bump-public-{model.__name__}")
    post_delete.connect(_bump, sender=model, dispatch_uid=f"unbump-public-{model.__name__}")
