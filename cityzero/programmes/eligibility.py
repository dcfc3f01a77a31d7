"""Who may apply to a call: eligibility rules as data, checked against what is known of a city.

A rule is a named check from ``CHECKS`` with its parameters, e.g.
``Rule("population_at_least", {"min": 50000})``. Checking a rule against one city's ``Facts``
gives a ``Verdict``: passed, failed (saying why) or cannot tell (saying which fact is missing).
An application is eligible when every rule passes for every one of its cities, not eligible
when one fails, and undecided (the staff decide) when none fails but one cannot tell.

Facts come from two places. The platform knows a city's country (EU member state or associated
to Horizon Europe), whether it is a Mission City and whether it already takes part in a pilot
activity or a twinning; the application declares the rest, each answered by the form question
bound to it. The population is the declared figure when given, otherwise
the city's record.

Pure Python without Django. Messages are English templates marked with ``gettext_noop`` so that
``makemessages`` collects them; pages translate the template and then fill in the values.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


def gettext_noop(message: str) -> str:
    """Mark ``message`` for translation without translating it here."""
    return message


class Outcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    UNKNOWN = "unknown"  # cannot tell: a fact is missing


class Fact(StrEnum):
    POPULATION = "population"
    GCOM_STATUS = "gcom_status"  # one of GCOM_STATUSES
    GCOM_DATE = "gcom_date"  # the date signed, or the expected date while pending
    CLIMATE_ACTION_PLAN = "climate_action_plan"
    COMMITS_RESOURCES = "commits_resources"
    COMMITTED_TO_2050 = "committed_to_2050"
    MISSION_COMMITMENT = "mission_commitment"
    EU_MEMBER = "eu_member"
    HORIZON_ASSOCIATED = "horizon_associated"
    MISSION_CITY = "mission_city"
    PILOT_OR_TWIN = "pilot_or_twin"


SIGNATORY, PENDING, NOT_SIGNING = "signatory", "pending", "none"
GCOM_STATUSES = (SIGNATORY, PENDING, NOT_SIGNING)


@dataclass(frozen=True)
class Facts:
    """What is known of one applying city on the application date; a missing fact is unknown."""

    city: str
    application_date: date
    values: Mapping[str, Any] = field(default_factory=dict)
    sources: Mapping[str, str] = field(default_factory=dict)  # fact → where it came from

    def get(self, fact: Fact) -> Any:
        return self.values.get(fact)


@dataclass(frozen=True)
class Rule:
    kind: str
    params: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Verdict:
    rule: str
    outcome: Outcome
    template: str
    params: Mapping[str, str]

    @property
    def message(self) -> str:
        return self.template % self.params


@dataclass(frozen=True)
class Param:
    name: str
    minimum: int
    maximum: int
    default: int | None = None


Judge = Callable[[Facts, Mapping[str, int]], Verdict]


@dataclass(frozen=True)
class Check:
    code: str
    label: str  # what the rule asks, a template over its parameters
    judge: Judge
    params: tuple[Param, ...] = ()


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it is shorter (31 Jan + 1 = 28
    or 29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, _days_in(year, month)))


def _days_in(year: int, month: int) -> int:
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - date(year, month, 1)).days


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def _verdict(code: str, outcome: Outcome, template: str, **params: object) -> Verdict:
    return Verdict(code, outcome, template, {name: str(value) for name, value in params.items()})


def _yes_no(code: str, fact: Fact, *, yes: str, no: str, unknown: str) -> Judge:
    """A check on one declared yes/no fact."""

    def judge(facts: Facts, params: Mapping[str, int]) -> Verdict:
        value = facts.get(fact)
        if value is None:
            return _verdict(code, Outcome.UNKNOWN, unknown, city=facts.city)
        return _verdict(
            code, Outcome.PASSED if value else Outcome.FAILED, yes if value else no, city=facts.city
        )

    return judge


def _population_at_least(facts: Facts, params: Mapping[str, int]) -> Verdict:
    code, population, minimum = "population_at_least", facts.get(Fact.POPULATION), params["min"]
    if population is None:
        return _verdict(
            code,
            Outcome.UNKNOWN,
            gettext_noop("The population of %(city)s is not known: give it in the application."),
            city=facts.city,
        )
    source = facts.sources.get(Fact.POPULATION, "")
    shown = {
        "city": facts.city,
        "population": f"{population:,}",
        "min": f"{minimum:,}",
        "source": source,
    }
    if population >= minimum:
        template = gettext_noop(
            "%(city)s has %(population)s inhabitants (%(source)s): at least %(min)s."
        )
        return _verdict(code, Outcome.PASSED, template, **shown)
    template = gettext_noop(
        "%(city)s has %(population)s inhabitants (%(source)s), fewer than the %(min)s required."
    )
    return _verdict(code, Outcome.FAILED, template, **shown)


def _gcom_signatory_or_within(facts: Facts, params: Mapping[str, int]) -> Verdict:
    code, status, on = (
        "gcom_signatory_or_within",
        facts.get(Fact.GCOM_STATUS),
        facts.get(Fact.GCOM_DATE),
    )
    months = params["months"]
    if status == SIGNATORY:
        return _verdict(
            code,
            Outcome.PASSED,
            gettext_noop("%(city)s is a signatory of the Global Covenant of Mayors."),
            city=facts.city,
        )
    if status == NOT_SIGNING:
        return _verdict(
            code,
            Outcome.FAILED,
            gettext_noop(
                "%(city)s is not a signatory of the Global Covenant of Mayors and does not plan to "
                "become one."
            ),
            city=facts.city,
        )
    if status != PENDING:
        return _verdict(
            code,
            Outcome.UNKNOWN,
            gettext_noop(
                "It is not known whether %(city)s signed the Global Covenant of Mayors: answer the "
                "question on it."
            ),
            city=facts.city,
        )
    if on is None:
        return _verdict(
            code,
            Outcome.UNKNOWN,
            gettext_noop(
                "%(city)s is becoming a signatory of the Global Covenant of Mayors, but the expected "
                "date is not given."
            ),
            city=facts.city,
        )
    latest = add_months(facts.application_date, months)
    shown = {"city": facts.city, "date": _day(on), "months": months, "latest": _day(latest)}
    if on <= latest:
        return _verdict(
            code,
            Outcome.PASSED,
            gettext_noop(
                "%(city)s expects to sign the Global Covenant of Mayors on %(date)s, within "
                "%(months)s months of applying (by %(latest)s)."
            ),
            **shown,
        )
    return _verdict(
        code,
        Outcome.FAILED,
        gettext_noop(
            "%(city)s expects to sign the Global Covenant of Mayors on %(date)s, later than "
            "%(months)s months after applying (%(latest)s)."
        ),
        **shown,
    )


def _in_eu_or_associated(facts: Facts, params: Mapping[str, int]) -> Verdict:
    code, eu, associated = (
        "in_eu_or_associated",
        facts.get(Fact.EU_MEMBER),
        facts.get(Fact.HORIZON_ASSOCIATED),
    )
    if eu:
        return _verdict(
            code,
            Outcome.PASSED,
            gettext_noop("%(city)s is in an EU member state."),
            city=facts.city,
        )
    if associated:
        return _verdict(
            code,
            Outcome.PASSED,
            gettext_noop("%(city)s is in a country associated to Horizon Europe."),
            city=facts.city,
        )
    if eu is None or associated is None:
        return _verdict(
            code,
            Outcome.UNKNOWN,
            gettext_noop("The country of %(city)s is not known."),
            city=facts.city,
        )
    return _verdict(
        code,
        Outcome.FAILED,
        gettext_noop(
            "%(city)s is neither in an EU member state nor in a country associated to Horizon "
            "Europe."
        ),
        city=facts.city,
    )


def _mission_commitment(facts: Facts, params: Mapping[str, int]) -> Verdict:
    code = "mission_commitment"
    if facts.get(Fact.MISSION_CITY):
        return _verdict(
            code, Outcome.PASSED, gettext_noop("%(city)s is a Mission City."), city=facts.city
        )
    return _yes_no(
        code,
        Fact.MISSION_COMMITMENT,
        yes=gettext_noop("%(city)s commits to the Mission's goal of climate neutrality by 2030."),
        no=gettext_noop(
            "%(city)s is not a Mission City and does not commit to the Mission's "
            "goal of climate neutrality by 2030."
        ),
        unknown=gettext_noop(
            "%(city)s is not a Mission City, and its commitment to the "
            "Mission's goal is not stated."
        ),
    )(facts, params)


def _not_platform_fact(code: str, fact: Fact, *, is_so: str, is_not: str) -> Judge:
    """A check that a city is *not* something the platform records (a Mission City, a pilot)."""

    def judge(facts: Facts, params: Mapping[str, int]) -> Verdict:
        value = facts.get(fact)
        if value is None:
            return _verdict(
                code,
                Outcome.UNKNOWN,
                gettext_noop("The platform cannot tell this for %(city)s."),
                city=facts.city,
            )
        return _verdict(
            code,
            Outcome.FAILED if value else Outcome.PASSED,
            is_so if value else is_not,
            city=facts.city,
        )

    return judge


CHECKS: dict[str, Check] = {
    check.code: check
    for check in (
        Check(
            "population_at_least",
            gettext_noop("At least %(min)s inhabitants"),
            _population_at_least,
            (Param("min", 1, 100_000_000),),
        ),
        Check(
            "gcom_signatory_or_within",
            gettext_noop(
                "A signatory of the Global Covenant of Mayors, or becoming one within "
                "%(months)s months of applying"
            ),
            _gcom_signatory_or_within,
            (Param("months", 1, 24, default=3),),
        ),
        Check(
            "has_climate_action_plan",
            gettext_noop("A city-wide climate action plan"),
            _yes_no(
                "has_climate_action_plan",
                Fact.CLIMATE_ACTION_PLAN,
                yes=gettext_noop("%(city)s has a city-wide climate action plan."),
                no=gettext_noop("%(city)s has no city-wide climate action plan."),
                unknown=gettext_noop(
                    "Whether %(city)s has a city-wide climate action plan is not stated."
                ),
            ),
        ),
        Check(
            "commits_resources",
            gettext_noop("Resources committed to the programme"),
            _yes_no(
                "commits_resources",
                Fact.COMMITS_RESOURCES,
                yes=gettext_noop("%(city)s commits resources (staff, budget) to the programme."),
                no=gettext_noop("%(city)s does not commit resources to the programme."),
                unknown=gettext_noop("Whether %(city)s commits resources is not stated."),
            ),
        ),
        Check(
            "in_eu_or_associated",
            gettext_noop("In an EU member state or a country associated to Horizon Europe"),
            _in_eu_or_associated,
        ),
        Check(
            "committed_to_2050",
            gettext_noop("Committed to climate neutrality by 2050"),
            _yes_no(
                "committed_to_2050",
                Fact.COMMITTED_TO_2050,
                yes=gettext_noop("%(city)s is committed to climate neutrality by 2050."),
                no=gettext_noop("%(city)s is not committed to climate neutrality by 2050."),
                unknown=gettext_noop(
                    "Whether %(city)s is committed to climate neutrality by 2050 is not stated."
                ),
            ),
        ),
        Check(
            "not_mission_city",
            gettext_noop("Not a Mission City"),
            _not_platform_fact(
                "not_mission_city",
                Fact.MISSION_CITY,
                is_so=gettext_noop("%(city)s is a Mission City."),
                is_not=gettext_noop("%(city)s is not a Mission City."),
            ),
        ),
        Check(
            "not_pilot_or_twin",
            gettext_noop("Not already a pilot or twin city"),
            _not_platform_fact(
                "not_pilot_or_twin",
                Fact.PILOT_OR_TWIN,
                is_so=gettext_noop(
                    "%(city)s already takes part in a pilot activity or a twinning."
                ),
                is_not=gettext_noop(
                    "%(city)s takes part in no pilot activity and no twinning yet."
                ),
            ),
        ),
        Check(
            "mission_commitment",
            gettext_noop("A Mission City, or committed to the Mission's goal"),
            _mission_commitment,
        ),
    )
}


def params_with_defaults(kind: str, params: Mapping[str, Any]) -> dict[str, Any]:
    check = CHECKS[kind]
    defaults = {p.name: p.default for p in check.params if p.default is not None}
    return {**defaults, **params}


def problems(kind: str, params: Mapping[str, Any]) -> list[str]:
    """What is wrong with a rule as staff wrote it (English; the admin shows it as it is)."""
    check = CHECKS.get(kind)
    if check is None:
        return [f"There is no check “{kind}”; choose one of: {', '.join(sorted(CHECKS))}."]
    if not isinstance(params, Mapping):
        return ['The parameters must be an object, e.g. {"min": 50000}.']
    known = {p.name: p for p in check.params}
    found = [f"“{kind}” takes no parameter “{name}”." for name in params if name not in known]
    values = params_with_defaults(kind, params)
    for name, param in known.items():
        value = values.get(name)
        if value is None:
            found.append(f"“{kind}” needs the parameter “{name}”.")
        elif isinstance(value, bool) or not isinstance(value, int):
            found.append(f"“{name}” must be a whole number.")
        elif not param.minimum <= value <= param.maximum:
            found.append(f"“{name}” must be from {param.minimum:,} to {param.maximum:,}.")
    return found


def describe(rule: Rule) -> tuple[str, dict[str, str]]:
    """What the rule asks, as a template and its values (for the call's public page)."""
    values = params_with_defaults(rule.kind, rule.params)
    return CHECKS[rule.kind].label, {name: f"{value:,}" for name, value in values.items()}


def check(rule: Rule, facts: Facts) -> Verdict:
    return CHECKS[rule.kind].judge(facts, params_with_defaults(rule.kind, rule.params))


def check_all(rules: Iterable[Rule], facts_of_cities: Iterable[Facts]) -> list[Verdict]:
    """Every rule for every city, city by city in the given order (the lead city first)."""
    rules = list(rules)
    return [check(rule, facts) for facts in facts_of_cities for rule in rules]


def overall(verdicts: Iterable[Verdict]) -> Outcome:
    outcomes = {verdict.outcome for verdict in verdicts}
    if Outcome.FAILED in outcomes:
        return Outcome.FAILED
    return Outcome.UNKNOWN if Outcome.UNKNOWN in outcomes else Outcome.PASSED
