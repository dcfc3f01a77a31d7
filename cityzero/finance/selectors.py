"""Reads of the Finance Guidance Tool: the catalogue the matcher runs on, funding type pages, and
the results cities saved (for the dossier and the investment plan, as each person may see them).
"""

from typing import Any

from django.db.models import Prefetch, QuerySet

from cityzero.accounts.permissions import can, roles_of, visibilities_for
from cityzero.cities.models import City, Visibility
from cityzero.core.cache import cached_by_data_version
from cityzero.finance import matching
from cityzero.finance.guidance import Catalogue, FundingInfo, Guidance, guide, lines
from cityzero.finance.models import FundingType, MatchingRule, SavedResult
from cityzero.knowledge.models import Entry, EntryStatus


def funding_info(funding: FundingType) -> FundingInfo:
    return FundingInfo(
        code=funding.code,
        name=funding.name,
        category=funding.category,
        summary=funding.summary,
        pros=lines(funding.pros),
        cons=lines(funding.cons),
        project_types=lines(funding.project_types),
        related_products=lines(funding.related_products),
        ticket_min=funding.ticket_min_eur,
        ticket_max=funding.ticket_max_eur,
        eligibility=funding.eligibility,
        position=funding.position,
    )


def _rule(rule: MatchingRule, codes: dict[int, str]) -> matching.Rule:
    return matching.Rule(
        funding=codes[rule.funding_type_id] if rule.funding_type_id else None,
        question=rule.question,
        values=frozenset(rule.value_codes),
        effect=matching.Effect(rule.effect),
        reason=rule.reason,
        weight=rule.weight,
        position=rule.position,
    )


def read_catalogue() -> Catalogue:
    """Active funding types and their active rules, with the rules for every type (two queries)."""
    types = list(FundingType.objects.filter(active=True).order_by("position", "code"))
    codes = {funding.pk: funding.code for funding in types}
    rules = MatchingRule.objects.filter(active=True).order_by("position", "pk")
    return Catalogue(
        funding={funding.code: funding_info(funding) for funding in types},
        rules=tuple(
            _rule(rule, codes)
            for rule in rules
            if rule.funding_type_id is None or rule.funding_type_id in codes
        ),
    )


def catalogue() -> Catalogue:
    """The catalogue as of the last change: any edit (admin included) bumps the data version, so
    the next request reads the new rules (see ``signals``)."""
    return cached_by_data_version("finance-catalogue", read_catalogue)  # type: ignore[return-value]


def guidance_for(answers: dict[str, Any]) -> Guidance:
    return guide(answers, catalogue())


def funding_type_list() -> QuerySet[FundingType]:
    return FundingType.objects.filter(active=True).order_by("category", "position", "code")


def funding_type_page(code: str) -> FundingType:
    """An active funding type with its published knowledge entries (``.entries``), two queries."""
    published = Entry.objects.filter(status=EntryStatus.PUBLISHED).order_by("title")
    return (
        FundingType.objects.filter(active=True)
        .prefetch_related(Prefetch("knowledge_entries", queryset=published, to_attr="entries"))
        .get(code=code)
    )


# --- saved results --------------------------------------------------------------------------------


def saved_results_for_city(city: City, user: Any) -> list[SavedResult]:
    """The city's saved results this person may see, newest first (one query): all of them for
    its team, its advisors and the staff; the public ones for everyone else."""
    results = SavedResult.objects.filter(city=city).select_related("saved_by")
    if Visibility.TEAM not in visibilities_for(roles_of(user), city.pk):
        results = results.filter(public=True)
    return list(results.order_by("-created_at", "-pk"))


def saved_result(token: str) -> SavedResult:
    return SavedResult.objects.select_related("city", "saved_by").get(token=token)


def cities_to_save_to(user: Any) -> list[City]:
    """The cities this person may save a result to, by name (one query; none if anonymous)."""
    roles = roles_of(user)
    if not roles.authenticated:
        return []
    cities = City.objects.all() if roles.is_staff else City.objects.filter(pk__in=roles.city_roles)
    return [city for city in cities.order_by("name") if can(user, "finance.save", city)]
