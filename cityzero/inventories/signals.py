"""Factors, exclusions and inventory settings feed the summaries: a change drops cached ones."""

from cityzero.core.cache import invalidate_on_change
from cityzero.inventories.models import Exclusion, Inventory, LocalFactor, NationalFactor

invalidate_on_change(NationalFactor, LocalFactor, Exclusion, Inventory)
