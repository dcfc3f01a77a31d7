"""Invalidate cached public pages (the city's map, its dossier) whenever progress changes."""

from cityzero.core.cache import invalidate_on_change
from cityzero.transition.models import StepProgress

invalidate_on_change(StepProgress)
