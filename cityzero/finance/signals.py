"""Drop cached public pages and the matcher's catalogue whenever funding types, rules or saved
results change (admin edits included), so that a rule edited in the admin applies to the very
next request."""

from django.db.models.signals import m2m_changed

from cityzero.core.cache import bump_public_data_version, invalidate_on_change
from cityzero.finance.models import FundingType, MatchingRule, SavedResult

invalidate_on_change(FundingType, MatchingRule, SavedResult)


def _entries_changed(**kwargs) -> None:
    bump_public_data_version()


m2m_changed.connect(
    _entries_changed, sender=FundingType.knowledge_entries.through, dispatch_uid="finance-entries"
)
