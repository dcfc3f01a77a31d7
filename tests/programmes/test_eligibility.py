"""The eligibility rules as data, checked without a database: boundaries, missing facts, months."""

from datetime import date

import pytest

from cityzero.programmes.eligibility import (
    CHECKS,
    Fact,
    Facts,
    Outcome,
    Rule,
    add_months,
    check,
    check_all,
    describe,
    overall,
    problems,
)

APPLIED = date(2025, 11, 30)


def facts(**values) -> Facts:
    sources = {Fact.POPULATION: "declared"} if Fact.POPULATION in values else {}
    return Facts("Aachen", values.pop("on", APPLIED), values, sources)


# --- population -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("population", "outcome"),
    [
        (49_999, Outcome.FAILED),
        (50_000, Outcome.PASSED),
        (50_001, Outcome.PASSED),
        (0, Outcome.FAILED),
    ],
)
def test_population_of_at_least_50000_includes_50000(population, outcome):
    verdict = check(Rule("population_at_least", {"min": 50000}), facts(population=population))
    assert verdict.outcome == outcome


def test_a_small_city_is_told_how_small_and_what_is_required():
    verdict = check(Rule("population_at_least", {"min": 50000}), facts(population=49_999))
    assert verdict.message == (
        "Aachen has 49,999 inhabitants (declared), fewer than the 50,000 required."
    )


def test_an_unknown_population_cannot_be_told():
    verdict = check(Rule("population_at_least", {"min": 50000}), facts())
    assert verdict.outcome == Outcome.UNKNOWN
    assert "not known" in verdict.message


# --- the Global Covenant of Mayors within three months ----------------------------------------------


def gcom(status: str | None, on: date | None = None, applied: date = APPLIED):
    rule = Rule("gcom_signatory_or_within", {"months": 3})
    return check(rule, facts(gcom_status=status, gcom_date=on, on=applied))


@pytest.mark.parametrize(
    ("applied", "expected_by", "outcome"),
    [
        # 30 November + 3 months is 28 February (2026 is no leap year): that day is within.
        (date(2025, 11, 30), date(2026, 2, 28), Outcome.PASSED),
        (date(2025, 11, 30), date(2026, 3, 1), Outcome.FAILED),
        # In a leap year the month ends a day later.
        (date(2027, 11, 30), date(2028, 2, 29), Outcome.PASSED),
        (date(2027, 11, 30), date(2028, 3, 1), Outcome.FAILED),
        # 31 May + 3 months is 31 August.
        (date(2025, 5, 31), date(2025, 8, 31), Outcome.PASSED),
        (date(2025, 5, 31), date(2025, 9, 1), Outcome.FAILED),
        # Across the year: 15 October + 3 months is 15 January.
        (date(2025, 10, 15), date(2026, 1, 15), Outcome.PASSED),
        (date(2025, 10, 15), date(2026, 1, 16), Outcome.FAILED),
        # Planned sooner than applying counts as within.
        (date(2025, 10, 15), date(2025, 10, 1), Outcome.PASSED),
    ],
)
def test_becoming_a_signatory_counts_within_three_months_of_applying(applied, expected_by, outcome):
    assert gcom("pending", expected_by, applied).outcome == outcome


def test_a_late_signature_says_by_when_it_should_have_been():
    verdict = gcom("pending", date(2026, 3, 1))
    assert verdict.message == (
        "Aachen expects to sign the Global Covenant of Mayors on 1 March 2026, later than 3 months "
        "after applying (28 February 2026)."
    )


def test_a_signatory_passes_whatever_the_date():
    assert gcom("signatory").outcome == Outcome.PASSED


def test_a_city_that_will_not_sign_fails():
    assert gcom("none").outcome == Outcome.FAILED


@pytest.mark.parametrize(("status", "on"), [(None, None), ("pending", None)])
def test_missing_status_or_expected_date_cannot_be_told(status, on):
    assert gcom(status, on).outcome == Outcome.UNKNOWN


def test_the_number_of_months_is_a_parameter_with_a_default_of_three():
    late = facts(gcom_status="pending", gcom_date=date(2026, 5, 30))
    assert check(Rule("gcom_signatory_or_within", {"months": 6}), late).outcome == Outcome.PASSED
    assert check(Rule("gcom_signatory_or_within"), late).outcome == Outcome.FAILED


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 12, 31), 2, date(2027, 2, 28)),
        (date(2026, 11, 15), 14, date(2028, 1, 15)),
        (date(2026, 6, 30), 12, date(2027, 6, 30)),
    ],
)
def test_adding_months_keeps_the_day_or_takes_the_months_last(day, months, expected):
    assert add_months(day, months) == expected


# --- declared yes/no facts and platform facts -------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "fact"),
    [
        ("has_climate_action_plan", Fact.CLIMATE_ACTION_PLAN),
        ("commits_resources", Fact.COMMITS_RESOURCES),
        ("committed_to_2050", Fact.COMMITTED_TO_2050),
    ],
)
@pytest.mark.parametrize(
    ("value", "outcome"), [(True, Outcome.PASSED), (False, Outcome.FAILED), (None, Outcome.UNKNOWN)]
)
def test_declared_facts_pass_fail_or_cannot_tell(kind, fact, value, outcome):
    assert check(Rule(kind), facts(**{fact: value})).outcome == outcome


@pytest.mark.parametrize(
    ("eu", "associated", "outcome"),
    [
        (True, False, Outcome.PASSED),
        (False, True, Outcome.PASSED),
        (False, False, Outcome.FAILED),
        (None, None, Outcome.UNKNOWN),
    ],
)
def test_eu_member_states_and_associated_countries_are_in(eu, associated, outcome):
    verdict = check(
        Rule("in_eu_or_associated"),
        facts(**{Fact.EU_MEMBER: eu, Fact.HORIZON_ASSOCIATED: associated}),
    )
    assert verdict.outcome == outcome


@pytest.mark.parametrize(
    ("kind", "fact"),
    [("not_mission_city", Fact.MISSION_CITY), ("not_pilot_or_twin", Fact.PILOT_OR_TWIN)],
)
@pytest.mark.parametrize(
    ("value", "outcome"), [(True, Outcome.FAILED), (False, Outcome.PASSED), (None, Outcome.UNKNOWN)]
)
def test_twinning_later_cohorts_exclude_mission_cities_and_pilots(kind, fact, value, outcome):
    assert check(Rule(kind), facts(**{fact: value})).outcome == outcome


@pytest.mark.parametrize(
    ("mission_city", "declared", "outcome"),
    [
        (True, None, Outcome.PASSED),
        (True, False, Outcome.PASSED),
        (False, True, Outcome.PASSED),
        (False, False, Outcome.FAILED),
        (False, None, Outcome.UNKNOWN),
    ],
)
def test_the_mission_commitment_of_a_mission_city_goes_without_saying(
    mission_city, declared, outcome
):
    values = {Fact.MISSION_CITY: mission_city, Fact.MISSION_COMMITMENT: declared}
    assert check(Rule("mission_commitment"), facts(**values)).outcome == outcome


# --- the rules together -----------------------------------------------------------------------------


def test_every_rule_is_checked_for_every_city_lead_first():
    rules = [Rule("not_mission_city"), Rule("in_eu_or_associated")]
    lead = Facts("Lead", APPLIED, {Fact.MISSION_CITY: False, Fact.EU_MEMBER: True})
    partner = Facts("Partner", APPLIED, {Fact.MISSION_CITY: True, Fact.EU_MEMBER: True})
    verdicts = check_all(rules, [lead, partner])
    assert [(v.rule, v.outcome) for v in verdicts] == [
        ("not_mission_city", Outcome.PASSED),
        ("in_eu_or_associated", Outcome.PASSED),
        ("not_mission_city", Outcome.FAILED),
        ("in_eu_or_associated", Outcome.PASSED),
    ]
    assert verdicts[2].message == "Partner is a Mission City."


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [
        ([], Outcome.PASSED),
        ([Outcome.PASSED, Outcome.PASSED], Outcome.PASSED),
        ([Outcome.PASSED, Outcome.UNKNOWN], Outcome.UNKNOWN),
        ([Outcome.UNKNOWN, Outcome.FAILED], Outcome.FAILED),
    ],
)
def test_one_failure_fails_and_one_unknown_leaves_it_to_the_staff(outcomes, expected):
    verdicts = [check(Rule("commits_resources"), facts(commits_resources={
        Outcome.PASSED: True, Outcome.FAILED: False, Outcome.UNKNOWN: None}[o])) for o in outcomes]  # fmt: skip
    assert overall(verdicts) == expected


# --- rules as staff write them ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "params", "problem"),
    [
        ("population", {}, "There is no check “population”"),
        ("population_at_least", {}, "needs the parameter “min”"),
        ("population_at_least", {"min": "50000"}, "“min” must be a whole number."),
        ("population_at_least", {"min": True}, "“min” must be a whole number."),
        ("population_at_least", {"min": 0}, "“min” must be from 1 to 100,000,000."),
        ("population_at_least", {"min": 10**12}, "“min” must be from 1 to 100,000,000."),
        ("population_at_least", {"min": 5, "max": 9}, "takes no parameter “max”"),
        ("gcom_signatory_or_within", {"months": 25}, "“months” must be from 1 to 24."),
        ("has_climate_action_plan", [1], "must be an object"),
    ],
)
def test_a_badly_written_rule_is_refused_with_the_reason(kind, params, problem):
    assert any(problem in found for found in problems(kind, params))


@pytest.mark.parametrize(
    ("kind", "params"),
    [
        ("population_at_least", {"min": 50000}),
        ("gcom_signatory_or_within", {}),
        ("not_mission_city", {}),
    ],
)
def test_well_written_rules_have_no_problem(kind, params):
    assert problems(kind, params) == []


def test_every_check_of_the_brief_is_in_the_registry():
    assert set(CHECKS) == {
        "population_at_least", "gcom_signatory_or_within", "has_climate_action_plan",
        "commits_resources", "in_eu_or_associated", "committed_to_2050", "not_mission_city",
        "not_pilot_or_twin", "mission_commitment",
    }  # fmt: skip


def test_a_rule_describes_itself_with_its_parameters():
    template, params = describe(Rule("population_at_least", {"min": 50000}))
    assert template % params == "At least 50,000 inhabitants"
    template, params = describe(Rule("gcom_signatory_or_within"))
    assert template % params == (
        "A signatory of the Global Covenant of Mayors, or becoming one within 3 months of applying"
    )
