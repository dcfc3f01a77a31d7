"""Invalidate cached public pages whenever data they show changes (admin edits included)."""

from cityzero.cities.models import City, Country, DossierSection, LabelRound
from cityzero.core.cache import invalidate_on_change

invalidate_on_change(City, Country, LabelRound, DossierSection)
