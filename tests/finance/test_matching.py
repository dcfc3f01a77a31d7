"""The matcher alone, on hand-built funding types and rules (no database, no Django)."""

import random

from hypothesis import given
from hypothesis import strategies as st

from cityzero.finance.matching import (
    Answers,
    Effect,
    FundingOption,
    Rule,
    match,
    size_band,
    ticket_fit,
)

INCLUDE, EXCLUDE, RANK = Effect.INCLUDE, Effect.EXCLUDE, Effect.RANK


def rule(funding, question, values, effect, weight=0, reason="", position=0) -> Rule:
    return Rule(funding, question, frozenset(values), effect, reason or f"{funding} {question}",
                weight, position)  # fmt: skip


def answers(size=None, **choices) -> Answers:
    return Answers({q: frozenset(v if isinstance(v, list) else [v]) for q, v in choices.items()},
                   size)  # fmt: skip


# A small catalogue: two grants, two loans, a contract model, a bond.
OPTIONS = [
    FundingOption("erdf", 10, 200_000, 50_000_000),
    FundingOption("life", 20, 500_000, 10_000_000),
    FundingOption("eib", 30, 1_000_000, 500_000_000),
    FundingOption("epc", 40, 200_000, 20_000_000),
    FundingOption("bond", 50, 10_000_000, 500_000_000),
    FundingOption("budget", 60, None, 5_000_000),
]
ALL = ["energy", "buildings", "mobility", "waste", "green"]
RULES = [
    rule("erdf", "fields", ALL, INCLUDE, 1),
    rule("erdf", "revenue", ["yes"], RANK, -3),
    rule("erdf", "revenue", ["no"], RANK, 2),
    rule("life", "fields", ["green"], INCLUDE, 2),
    rule("life", "fields", ["buildings"], INCLUDE, 1),
    rule("life", "revenue", ["yes"], RANK, -1),
    rule("eib", "fields", ALL, INCLUDE, 1),
    rule("eib", "revenue", ["yes"], RANK, 3),
    rule("eib", "owner", ["municipal_company"], RANK, 2),
    rule("epc", "fields", ["buildings", "energy"], INCLUDE, 1),
    rule("epc", "savings", ["yes"], INCLUDE, 3),
    rule("epc", "savings", ["no"], EXCLUDE, reason="EPC is paid from savings."),
    rule("epc", "owner", ["city", "municipal_company"], RANK, 1),
    rule("bond", "fields", ALL, INCLUDE, 0),
    rule("bond", "ticket", ["below"], EXCLUDE, reason="Bonds need scale."),
    rule("bond", "size_band", ["very_large"], RANK, 3),
    rule("budget", "fields", ALL, INCLUDE, 1),
    rule("budget", "size_band", ["micro", "small"], RANK, 3),
    rule(None, "ticket", ["within"], RANK, 1, "Size fits."),
    rule(None, "ticket", ["below"], RANK, -2, "Too small."),
]
GRANTS = {"erdf", "life"}

RETROFIT = answers(
    2_000_000, fields="buildings", revenue="yes", savings="yes", owner="municipal_company"
)


def scores(result) -> dict[str, int]:
    return {found.code: found.score for found in result.ranked}


def test_a_revenue_earning_retrofit_by_a_municipal_company_puts_epc_and_eib_above_grants():
    result = match(RETROFIT, OPTIONS, RULES)
    # epc: include 1 + savings 3 + owner 1 + ticket within 1 = 6
    # eib: include 1 + revenue 3 + owner 2 + ticket within 1 = 7
    # erdf: include 1 − revenue 3 + within 1 = −1; life: include 1 − revenue 1 + within 1 = 1
    # budget: include 1 + within (max €5M) 1 = 2; bond: excluded (€2M < its €10M minimum)
    assert scores(result) == {"eib": 7, "epc": 6, "budget": 2, "life": 1, "erdf": -1}
    assert [found.code for found in result.ranked] == ["eib", "epc", "budget", "life", "erdf"]
    assert [found.code for found in result.excluded] == ["bond"]


def test_a_small_project_without_revenue_is_never_offered_a_bond():
    result = match(answers(50_000, fields="buildings", revenue="no", owner="city"), OPTIONS, RULES)
    assert "bond" not in scores(result)
    bond = next(found for found in result.excluded if found.code == "bond")
    assert [reason.text for reason in bond.reasons] == ["Bonds need scale."]


@given(
    size=st.integers(min_value=1_000, max_value=9_999_999),
    fields=st.lists(st.sampled_from(ALL), min_size=1, unique=True),
    owner=st.sampled_from(["city", "municipal_company", "private", "citizens"]),
)
def test_no_project_below_the_bond_ticket_gets_a_bond_whatever_else_it_answers(size, fields, owner):
    result = match(answers(size, fields=fields, revenue="no", owner=owner), OPTIONS, RULES)
    assert "bond" not in scores(result)


def test_a_type_is_only_a_candidate_when_an_include_rule_fires():
    result = match(answers(2_000_000, fields="mobility"), OPTIONS, RULES)
    assert "epc" not in scores(result) and "life" not in scores(result)
    assert "epc" not in [found.code for found in result.excluded]  # not relevant, not "ruled out"


def test_an_exclusion_wins_over_every_include_and_says_why():
    result = match(answers(2_000_000, fields="buildings", savings="no"), OPTIONS, RULES)
    epc = next(found for found in result.excluded if found.code == "epc")
    assert epc.reasons[0].text == "EPC is paid from savings." and epc.reasons[0].effect is EXCLUDE


def test_rules_without_a_funding_type_apply_to_every_type():
    result = match(answers(20_000_000, fields="green"), OPTIONS, RULES)
    # life's ticket is €0.5–10M, so €20M is "above" it: no general rule for that here.
    assert scores(result) == {"erdf": 2, "eib": 2, "bond": 1, "life": 2, "budget": 1}


def test_an_unanswered_question_fires_no_rule():
    result = match(answers(fields="buildings"), OPTIONS, RULES)  # no size, no revenue
    assert scores(result) == {"erdf": 1, "life": 1, "eib": 1, "epc": 1, "bond": 0, "budget": 1}


def test_a_question_with_several_answers_fires_when_any_of_them_matches():
    result = match(answers(fields=["mobility", "green"]), OPTIONS, RULES)
    assert scores(result)["life"] == 2


def test_ties_go_by_position_then_code_whatever_the_input_order():
    tied = [FundingOption("b", 1), FundingOption("a", 1), FundingOption("c", 0)]
    rules = [rule(code, "fields", ["energy"], INCLUDE, 1) for code in "abc"]
    expected = ["c", "a", "b"]
    for _ in range(5):
        random.shuffle(tied)
        random.shuffle(rules)
        assert [found.code for found in match(answers(fields="energy"), tied, rules).ranked] == (
            expected
        )


def test_reasons_come_strongest_first_then_in_the_rules_order():
    result = match(RETROFIT, OPTIONS, RULES)
    eib = next(found for found in result.ranked if found.code == "eib")
    assert [(reason.text, reason.weight) for reason in eib.reasons] == [
        ("eib revenue", 3), ("eib owner", 2), ("eib fields", 1), ("Size fits.", 1),
    ]  # fmt: skip


def test_size_bands_start_at_their_thresholds():
    assert [size_band(n) for n in (1_000, 99_999, 100_000, 999_999, 1_000_000, 9_999_999,
                                   10_000_000, 49_999_999, 50_000_000)] == [
        "micro", "micro", "small", "small", "medium", "medium", "large", "large", "very_large",
    ]  # fmt: skip


def test_ticket_fit_compares_the_size_with_the_range():
    option = FundingOption("x", 0, 100, 200)
    assert [ticket_fit(n, option) for n in (99, 100, 200, 201)] == [
        "below", "within", "within", "above",
    ]  # fmt: skip
    assert ticket_fit(5, FundingOption("y")) is None
    assert ticket_fit(10**9, FundingOption("z", 0, 100, None)) == "within"
