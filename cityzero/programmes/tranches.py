"""A pilot activity's grant in tranches. Pure Python without Django.

A grant is paid in up to three tranches, in this order: when the grant agreement is signed
(pre-financing), when staff approve the interim report and when they approve the final report.
The split is written as percentages in that order, e.g. ``40/40/20``; a 0 leaves a tranche out.
Amounts are whole euros: each tranche gets its share rounded down, the last one the remainder,
so the tranches always add up to the grant.
"""

from collections.abc import Sequence

TRIGGERS = ("start", "interim", "final")
DEFAULT_SPLIT = (40, 40, 20)


def amounts(grant: int, split: Sequence[int]) -> list[tuple[str, int, int]]:
    """(trigger, share %, amount €) of each tranche paid, in order; shares of 0 are left out."""
    paid = [(trigger, share) for trigger, share in zip(TRIGGERS, split, strict=True) if share]
    result, given = [], 0
    for index, (trigger, share) in enumerate(paid):
        amount = grant - given if index == len(paid) - 1 else grant * share // 100
        given += amount
        result.append((trigger, share, amount))
    return result
