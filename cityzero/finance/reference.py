"""The funding types and matching rules shipped in ``data/funding.json``, loaded by
``cityzero load_reference_data``. Safe to run again: staff edits survive.

- A funding type is created with its rules when no type has its code yet; an existing type, and
  its rules, are left as staff made them (a rule staff deleted stays deleted).
- The rules for every funding type are created only while there is none at all.
- Knowledge entries are linked, by slug or title, to the funding types that have none linked
  yet; titles not (yet) in the repository are skipped. ``load_demo`` links again after loading
  the demo entries.
"""

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from cityzero.core.cache import bump_public_data_version
from cityzero.finance.models import FundingType, MatchingRule
from cityzero.knowledge.models import Entry

DATA_FILE = Path(__file__).resolve().parent / "data" / "funding.json"
LIST_FIELDS = ("pros", "cons", "project_types", "related_products")


def funding_spec() -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return spec


def _checked(row: Any, what: str) -> Any:
    try:
        row.full_clean(exclude=["funding_type"])
    except ValidationError as error:
        raise ValueError(f"{DATA_FILE.name}, {what}: {error.message_dict}") from None
    return row


def _funding_type(item: dict[str, Any], position: int) -> FundingType:
    values = {name: "\n".join(item[name]) for name in LIST_FIELDS}
    return FundingType(
        code=item["code"], name=item["name"], category=item["category"], summary=item["summary"],
        ticket_min_eur=item.get("ticket_min_eur"), ticket_max_eur=item.get("ticket_max_eur"),
        eligibility=item["eligibility"], position=position, **values,
    )  # fmt: skip


def _rules(items: list[dict[str, Any]], funding: FundingType | None) -> list[MatchingRule]:
    what = funding.code if funding else "general rules"
    return [
        _checked(
            MatchingRule(
                funding_type=funding,
                question=item["question"],
                values=",".join(item["values"]),
                effect=item["effect"],
                weight=item.get("weight", 0),
                reason=item["reason"],
                position=position,
            ),
            f"{what}, rule {position + 1}",
        )
        for position, item in enumerate(items)
    ]


@transaction.atomic
def load_funding() -> tuple[int, int]:
    """(created, kept) funding types; their rules come with the types created."""
    spec = funding_spec()
    existing = set(FundingType.objects.values_list("code", flat=True))
    created = 0
    rules: list[MatchingRule] = []
    for position, item in enumerate(spec["funding_types"]):
        if item["code"] in existing:
            continue
        funding = _checked(_funding_type(item, position * 10), item["code"])
        funding.save()
        rules.extend(_rules(item["rules"], funding))
        created += 1
    if not MatchingRule.objects.filter(funding_type=None).exists():
        rules.extend(_rules(spec["general_rules"], None))
    MatchingRule.objects.bulk_create(rules)
    link_knowledge_entries(spec)
    transaction.on_commit(bump_public_data_version)  # bulk_create sends no signal
    return created, len(spec["funding_types"]) - created


def link_knowledge_entries(spec: dict[str, Any] | None = None) -> int:
    """Link the shipped knowledge entries (by slug or title) to funding types that have none;
    how many links were made."""
    spec = spec or funding_spec()
    wanted = {item["code"]: item.get("knowledge", []) for item in spec["funding_types"]}
    unlinked = FundingType.objects.filter(code__in=wanted, knowledge_entries=None)
    names = {name for code in unlinked.values_list("code", flat=True) for name in wanted[code]}
    if not names:
        return 0
    found: dict[str, int] = {}
    for pk, slug, title in Entry.objects.filter(Q(slug__in=names) | Q(title__in=names)).values_list(
        "pk", "slug", "title"
    ):
        found[slug] = found[title] = pk
    pairs = {
        (funding.pk, found[name])
        for funding in unlinked
        for name in wanted[funding.code]
        if name in found
    }
    through = FundingType.knowledge_entries.through
    through.objects.bulk_create(
        [through(fundingtype_id=funding, entry_id=entry) for funding, entry in sorted(pairs)]
    )
    transaction.on_commit(bump_public_data_version)  # bulk_create sends no signal
    return len(pairs)
