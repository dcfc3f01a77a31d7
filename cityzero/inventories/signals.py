"""Factors, exclusions, source documents and inventory settings are shown on public pages and
feed the summaries: a change drops the cached ones."""

from cityzero.core.cache import invalidate_on_change
from cityzero.inventories.models import (
    Exclusion,
    Inventory,
    LocalFactor,
    NationalFactor,
    SourceDocument,
)

invalidate_on_change(NationalFactor, LocalFactor, Exclusion, Inventory, SourceDocument)
