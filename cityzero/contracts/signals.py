"""Contract pages are cached for anonymous visitors: any change to a contract drops them."""

from cityzero.contracts.models import (
    Action,
    ActionFunding,
    ImpactPathway,
    Indicator,
    Iteration,
    ModuleContent,
    Removal,
    Signatory,
)
from cityzero.core.cache import invalidate_on_change

invalidate_on_change(
    Iteration, ModuleContent, ImpactPathway, Action, ActionFunding, Indicator, Signatory, Removal
)
