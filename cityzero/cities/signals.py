"""Invalidate cached public pages whenever data they show changes (admin edits included)."""

from django.db.models.signals import post_delete, post_save

from cityzero.cities.models import City, Country, DossierSection, LabelRound
from cityzero.core.cache import bump_public_data_version


def _bump(**kwargs) -> None:
    bump_public_data_version()


for model in (City, Country, LabelRound, DossierSection):
    post_save.connect(_bump, sender=model, dispatch_uid=f"bump-public-{model.__name__}")
    post_delete.connect(_bump, sender=model, dispatch_uid=f"unbump-public-{model.__name__}")
