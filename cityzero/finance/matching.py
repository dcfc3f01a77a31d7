"""The Finance Guidance Tool's matcher: answers and rules in, ranked funding types out.

Pure calculation over plain dataclasses, without Django, so that it can be tested and reused
alone. The rules are data (staff edit them in the admin); this module only says what a rule
means:

- a rule *fires* when the answer to its question is one of its values (for a question with
  several answers, such as the fields of action, when any of them is);
- a funding type is a *candidate* when at least one of its ``include`` rules fires;
- a candidate with an ``exclude`` rule that fires is *excluded*, with that rule's reason;
- every other candidate is *ranked* by its score, the sum of the weights of the ``include`` and
  ``rank`` rules that fired; ties go by the catalogue's position, then by code, so the same
  answers always give the same order.

A rule without a funding type applies to every type. Two answers are derived here rather than
asked: ``size_band``, the project's size in bands (``SIZE_BANDS``), and ``ticket``, how the
project's size compares with the amounts a funding type usually provides (``below``, ``within``,
``above`` its ticket range). So "bonds need scale" is a rule on ``ticket`` and a ticket range
in the data, not a condition in code.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum


class Effect(StrEnum):
    INCLUDE = "include"
    EXCLUDE = "exclude"
    RANK = "rank"


SIZE_BAND = "size_band"
TICKET = "ticket"
TICKET_VALUES = ("below", "within", "above")

#: (code, smallest size in €) in increasing order: a size falls in the last band it reaches.
SIZE_BANDS: tuple[tuple[str, int], ...] = (
    ("micro", 0),
    ("small", 100_000),
    ("medium", 1_000_000),
    ("large", 10_000_000),
    ("very_large", 50_000_000),
)


@dataclass(frozen=True)
class Answers:
    """What the questionnaire was told: option codes per question, and the size in euros."""

    choices: Mapping[str, frozenset[str]]
    size: int | None = None


@dataclass(frozen=True)
class FundingOption:
    """A funding type as the matcher sees it: its code, its place in the catalogue and the
    amounts it usually provides (None where there is no typical minimum or maximum)."""

    code: str
    position: int = 0
    ticket_min: int | None = None
    ticket_max: int | None = None


@dataclass(frozen=True)
class Rule:
    funding: str | None  # a funding type's code; None for every type
    question: str
    values: frozenset[str]
    effect: Effect
    reason: str
    weight: int = 0
    position: int = 0

    def fires(self, answers: Mapping[str, frozenset[str]]) -> bool:
        return bool(self.values & answers.get(self.question, frozenset()))


@dataclass(frozen=True)
class Reason:
    text: str
    effect: Effect
    weight: int


@dataclass(frozen=True)
class Match:
    code: str
    score: int
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Result:
    ranked: tuple[Match, ...]
    excluded: tuple[Match, ...]


def size_band(size: int) -> str:
    band = SIZE_BANDS[0][0]
    for code, start in SIZE_BANDS:
        if size >= start:
            band = code
    return band


def ticket_fit(size: int, option: FundingOption) -> str | None:
    """Where the project's size stands against the option's ticket range; None without one."""
    if option.ticket_min is None and option.ticket_max is None:
        return None
    if option.ticket_min is not None and size < option.ticket_min:
        return "below"
    if option.ticket_max is not None and size > option.ticket_max:
        return "above"
    return "within"


def _answers_for(answers: Answers, option: FundingOption) -> dict[str, frozenset[str]]:
    known = dict(answers.choices)
    if answers.size is not None:
        known[SIZE_BAND] = frozenset({size_band(answers.size)})
        fit = ticket_fit(answers.size, option)
        if fit is not None:
            known[TICKET] = frozenset({fit})
    return known


def _reasons(fired: Iterable[Rule]) -> tuple[Reason, ...]:
    """Strongest first (by the size of their weight), then in the rules' own order."""
    ordered = sorted(fired, key=lambda rule: (-abs(rule.weight), rule.position))
    return tuple(Reason(rule.reason, rule.effect, rule.weight) for rule in ordered)


def _judge(option: FundingOption, answers: Answers, rules: list[Rule]) -> tuple[str, Match] | None:
    """("ranked" or "excluded", the match), or None when the option is not a candidate."""
    known = _answers_for(answers, option)
    fired = [rule for rule in rules if rule.fires(known)]
    if not any(rule.effect is Effect.INCLUDE for rule in fired):
        return None
    exclusions = [rule for rule in fired if rule.effect is Effect.EXCLUDE]
    if exclusions:
        return "excluded", Match(option.code, 0, _reasons(exclusions))
    score = sum(rule.weight for rule in fired)
    return "ranked", Match(option.code, score, _reasons(fired))


def match(answers: Answers, options: Iterable[FundingOption], rules: Iterable[Rule]) -> Result:
    """Rank the options for these answers, each with the reasons it matched or was excluded."""
    by_funding: dict[str | None, list[Rule]] = {}
    for rule in rules:
        by_funding.setdefault(rule.funding, []).append(rule)
    general = by_funding.get(None, [])
    ordered = sorted(options, key=lambda option: (option.position, option.code))
    place = {option.code: index for index, option in enumerate(ordered)}
    ranked: list[Match] = []
    excluded: list[Match] = []
    for option in ordered:
        judged = _judge(option, answers, [*by_funding.get(option.code, []), *general])
        if judged is not None:
            verdict, found = judged
            (ranked if verdict == "ranked" else excluded).append(found)
    ranked.sort(key=lambda found: (-found.score, place[found.code]))
    return Result(tuple(ranked), tuple(excluded))
