"""Knowledge entries recommended to a city, each with the reasons it was chosen.

Signals come from the city's dossier barriers (their typology and field of action), the areas its
support needs assessment found weak or a priority, and from its contract iteration: the actions'
fields of action and levers (whose codes are tag codes) and the key priorities (searched as
text). An entry scores one point per signal it answers.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _

from cityzero.cities.selectors import dossier_barriers
from cityzero.knowledge import facets, search
from cityzero.knowledge.models import Entry, EntryStatus, Tag

LIMIT = 6
CANDIDATES = 40
PER_PRIORITY = 3
MAX_PRIORITIES = 4
MAX_REASONS = 3

# What helps with each kind of barrier (cities.BarrierTypology) in the taxonomy's terms.
BARRIER_TAGS = {
    "regulatory": ("governance", "multi-level"),
    "financial": ("finance", "green-finance"),
    "technical": ("technology",),
    "capacity": ("learning",),
    "governance": ("governance", "multi-level"),
    "social": ("social_innovation", "co-creation", "behaviour-change"),
    "data": ("data-monitoring", "ghg-inventory"),
    "market": ("finance", "procurement"),
}
# What helps with each capacity area of the support needs assessment (cities.needs.AREAS).
NEEDS_AREA_TAGS = {
    "governance": ("governance", "multi-level", "phase-mandate"),
    "data": ("data-monitoring", "ghg-inventory"),
    "finance": ("finance", "green-finance", "ccc-investment-plan"),
    "engagement": ("democracy", "co-creation", "citizen-assemblies"),
    "skills": ("learning", "procurement"),
}


@dataclass(frozen=True)
class Signal:
    tag: str  # a tag code
    reason: str


@dataclass
class Recommendation:
    entry: Entry
    reasons: list[str] = field(default_factory=list)


def barrier_signals(barriers: list[Any]) -> list[Signal]:
    signals = []
    for barrier in barriers:
        label = _("your barrier “%(barrier)s”") % {"barrier": str(barrier)}
        codes = BARRIER_TAGS.get(barrier.typology, ()) + (
            (barrier.field_of_action,) if barrier.field_of_action else ()
        )
        signals += [Signal(code, label) for code in codes]
    return signals


def needs_signals(areas: Sequence[Any]) -> list[Signal]:
    """From the areas of a needs assessment that are weak or a support priority
    (``cities.needs.AreaResult``)."""
    signals = []
    for result in areas:
        if result.is_weak:
            label = _("your needs assessment: %(area)s capacity is low")
        else:
            label = _("your needs assessment: support on %(area)s is a priority")
        label = label % {"area": result.area.short_name}
        signals += [Signal(code, label) for code in NEEDS_AREA_TAGS.get(result.area.code, ())]
    return signals


def action_signals(actions: list[Any]) -> list[Signal]:
    signals = []
    for action in actions:
        label = _("your action “%(action)s”") % {"action": action.name}
        signals += [Signal(code, label) for code in (action.field_of_action, action.lever) if code]
    return signals


def _by_tags(signals: list[Signal]) -> dict[int, set[str]]:
    """Candidate entries and the signalled tags each carries, in two queries."""
    codes = {signal.tag for signal in signals}
    if not codes:
        return {}
    candidates = list(
        Entry.objects.filter(status=EntryStatus.PUBLISHED, tags__code__in=codes)
        .annotate(shared=Count("tags"))
        .order_by("-shared", "-published_at", "-pk")
        .values_list("pk", flat=True)[:CANDIDATES]
    )
    carried: dict[int, set[str]] = defaultdict(set)
    for entry_id, code in Tag.entries.through.objects.filter(
        entry_id__in=candidates, tag__code__in=codes
    ).values_list("entry_id", "tag__code"):
        carried[entry_id].add(code)
    return carried


def _by_text(priorities: list[str]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    published = facets.current().position
    ranked_lists = []
    for priority in priorities:
        ranks = search.ranked(search.parse(priority))
        ranked_lists.append((priority, sorted(ranks, key=lambda pk: -ranks[pk])))
    for priority, ids in ranked_lists:
        reason = _("your priority “%(priority)s”") % {"priority": priority}
        for pk in [pk for pk in ids if pk in published][:PER_PRIORITY]:
            found[pk].append(reason)
    return dict(found)


def recommend(signals: list[Signal], priorities: list[str] = (), limit: int = LIMIT):
    """The entries answering the most signals, each with (up to three of) its reasons."""
    reasons: dict[int, list[str]] = defaultdict(list)
    for entry_id, codes in _by_tags(signals).items():
        for signal in signals:
            if signal.tag in codes and signal.reason not in reasons[entry_id]:
                reasons[entry_id].append(signal.reason)
    for entry_id, found in _by_text([p for p in priorities if p.strip()]).items():
        reasons[entry_id] += [r for r in found if r not in reasons[entry_id]]
    best = sorted(reasons, key=lambda pk: (-len(reasons[pk]), -pk))[:limit]
    entries = Entry.objects.in_bulk(best)
    return [Recommendation(entries[pk], reasons[pk][:MAX_REASONS]) for pk in best if pk in entries]


def _priorities(parts: Any) -> list[str]:
    """The key priorities' names: three or four by the template, never more than four searched."""
    rows = parts.content("priorities").get("tables", {}).get("priorities", [])
    return [str(row.get("priority", "")) for row in rows][:MAX_PRIORITIES]


def for_iteration(parts: Any) -> list[Recommendation]:
    """For a contract iteration (its ``contracts.selectors.Parts``): its actions and priorities."""
    return recommend(action_signals(parts.actions), _priorities(parts))


def for_city(city: Any, parts: Any | None, weak_areas: Sequence[Any] = ()) -> list[Recommendation]:
    """For a city's team: its dossier barriers, the areas its needs assessment found weak or a
    priority (``weak_areas``), and its newest contract iteration's ``parts``."""
    signals = barrier_signals(dossier_barriers(city)) + needs_signals(weak_areas)
    if parts is None:
        return recommend(signals)
    return recommend(signals + action_signals(parts.actions), _priorities(parts))
