"""Weighted scores of applications and their ranking. Pure Python without Django.

An assessor scores each criterion from 0 to its maximum. An application's score is a percentage:

    score = 100 × Σ_c weight_c × (mean score_c ÷ max_c) ÷ Σ_c weight_c

where ``mean score_c`` is the mean of the submitted assessors' scores on criterion ``c``. Each
criterion thus counts by its weight whatever its scale; with one assessor it is their weighted
percentage, with several it is the mean of theirs.

Ranking: the highest score first. Equal scores (exactly equal, before any rounding) are ordered
by the time of submission, the earlier first, then by the application's number, so the same data
always gives the same order; ``tie_broken`` marks an application placed behind an equal score.
Applications without a submitted assessment have no score and are listed last, by submission.
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


@dataclass(frozen=True)
class Criterion:
    key: Hashable
    weight: int
    max_score: int


@dataclass(frozen=True)
class Candidate:
    key: int
    submitted_at: datetime
    sheets: tuple[Mapping[Hashable, int], ...]  # one per submitted assessment: criterion → score


@dataclass(frozen=True)
class Ranked:
    key: int
    position: int | None  # 1, 2, …; None without a score
    score: Fraction | None
    tie_broken: bool = False

    @property
    def percent(self) -> Decimal | None:
        """The score rounded to two decimals (half up), as pages show it."""
        if self.score is None:
            return None
        exact = Decimal(self.score.numerator) / Decimal(self.score.denominator)
        return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def weighted_score(
    criteria: Sequence[Criterion], sheets: Iterable[Mapping[Hashable, int]]
) -> Fraction | None:
    """The weighted percentage (exact), or None without a sheet or a criterion."""
    sheets = list(sheets)
    total_weight = sum(criterion.weight for criterion in criteria)
    if not sheets or not total_weight:
        return None
    weighted = sum(
        criterion.weight
        * Fraction(sum(sheet[criterion.key] for sheet in sheets), len(sheets) * criterion.max_score)
        for criterion in criteria
    )
    return 100 * Fraction(weighted) / total_weight


def rank(criteria: Sequence[Criterion], candidates: Iterable[Candidate]) -> list[Ranked]:
    scored: list[tuple[Fraction, Candidate]] = []
    unscored: list[Candidate] = []
    for candidate in candidates:
        score = weighted_score(criteria, candidate.sheets)
        if score is None:
            unscored.append(candidate)
        else:
            scored.append((score, candidate))
    scored.sort(key=lambda pair: (-pair[0], pair[1].submitted_at, pair[1].key))
    ranked = [
        Ranked(candidate.key, index, score, tie_broken=index > 1 and score == scored[index - 2][0])
        for index, (score, candidate) in enumerate(scored, start=1)
    ]
    unscored.sort(key=lambda candidate: (candidate.submitted_at, candidate.key))
    return ranked + [Ranked(candidate.key, None, None) for candidate in unscored]
