"""A questionnaire's result as the pages, exports, the API and saved results show it.

``Catalogue`` is the funding types and rules as plain data (read once per data version, see
``selectors.catalogue``); ``guide`` runs the matcher over it; a ``Guidance`` is the ranked
funding types with everything a row of the result shows, and is what a saved result keeps as its
snapshot (``to_snapshot`` / ``from_snapshot``), so that it reads the same after staff change the
funding types or the rules.
"""

from dataclasses import asdict, dataclass, field
from typing import Any

from cityzero.finance import matching
from cityzero.finance.questionnaire import for_matching

SNAPSHOT_VERSION = 1


@dataclass(frozen=True)
class FundingInfo:
    code: str
    name: str
    category: str
    summary: str
    pros: tuple[str, ...]
    cons: tuple[str, ...]
    project_types: tuple[str, ...]
    related_products: tuple[str, ...]
    ticket_min: int | None
    ticket_max: int | None
    eligibility: str
    position: int = 0

    @property
    def option(self) -> matching.FundingOption:
        return matching.FundingOption(self.code, self.position, self.ticket_min, self.ticket_max)


@dataclass(frozen=True)
class Catalogue:
    funding: dict[str, FundingInfo]
    rules: tuple[matching.Rule, ...]


@dataclass(frozen=True)
class Row:
    rank: int | None  # None for an excluded type
    funding: FundingInfo
    score: int
    reasons: tuple[matching.Reason, ...]


@dataclass(frozen=True)
class Guidance:
    answers: dict[str, Any]
    ranked: tuple[Row, ...]
    excluded: tuple[Row, ...] = field(default=())


def guide(answers: dict[str, Any], catalogue: Catalogue) -> Guidance:
    """The funding types for checked answers (``questionnaire.check``), best first."""
    options = [info.option for info in catalogue.funding.values()]
    result = matching.match(for_matching(answers), options, catalogue.rules)
    ranked = tuple(
        Row(n, catalogue.funding[found.code], found.score, found.reasons)
        for n, found in enumerate(result.ranked, start=1)
    )
    excluded = tuple(
        Row(None, catalogue.funding[found.code], found.score, found.reasons)
        for found in result.excluded
    )
    return Guidance(dict(answers), ranked, excluded)


def lines(text: str) -> tuple[str, ...]:
    """A "one per line" field as its non-empty lines."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())


# --- snapshots ------------------------------------------------------------------------------------


def _row_data(row: Row) -> dict[str, Any]:
    return {
        "rank": row.rank,
        "funding": asdict(row.funding),
        "score": row.score,
        "reasons": [
            {"text": reason.text, "effect": reason.effect.value, "weight": reason.weight}
            for reason in row.reasons
        ],
    }


def to_snapshot(guidance: Guidance) -> dict[str, Any]:
    return {
        "version": SNAPSHOT_VERSION,
        "ranked": [_row_data(row) for row in guidance.ranked],
        "excluded": [_row_data(row) for row in guidance.excluded],
    }


def _row(data: dict[str, Any]) -> Row:
    funding = data["funding"]
    info = FundingInfo(
        **{
            **funding,
            **{
                name: tuple(funding[name])
                for name in ("pros", "cons", "project_types", "related_products")
            },
        }
    )
    reasons = tuple(
        matching.Reason(reason["text"], matching.Effect(reason["effect"]), reason["weight"])
        for reason in data["reasons"]
    )
    return Row(data["rank"], info, data["score"], reasons)


def from_snapshot(answers: dict[str, Any], snapshot: dict[str, Any]) -> Guidance:
    return Guidance(
        dict(answers),
        tuple(_row(row) for row in snapshot["ranked"]),
        tuple(_row(row) for row in snapshot["excluded"]),
    )
