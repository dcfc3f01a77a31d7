"""Which questions are asked for which fields, and how answers are read and checked."""

import pytest
from django.http import QueryDict

from cityzero.finance.matching import SIZE_BANDS, TICKET_VALUES
from cityzero.finance.questionnaire import (
    BY_CODE,
    MAX_SIZE,
    RULE_QUESTIONS,
    asked,
    check,
    check_query,
    describe,
    for_matching,
    parse_size,
    query_string,
)

UNIVERSAL = ["stage", "size", "owner", "risk", "timeline", "borrowing", "assistance", "cobenefits"]

# A complete set of answers for buildings, as a query string's values.
BUILDINGS = {
    "fields": ["buildings"], "stage": ["feasibility"], "size": ["2000000"],
    "owner": ["municipal_company"], "risk": ["proven"], "timeline": ["1_to_3_years"],
    "revenue": ["yes"], "savings": ["yes"], "payback": ["medium"], "borrowing": ["limited"],
    "assistance": ["some"], "cobenefits": ["jobs"],
}  # fmt: skip


def codes(fields: set[str]) -> list[str]:
    return [question.code for question in asked(frozenset(fields))]


@pytest.mark.parametrize(
    ("fields", "extra"),
    [
        ({"energy"}, {"revenue", "savings", "payback"}),
        ({"buildings"}, {"revenue", "savings", "payback"}),
        ({"mobility"}, {"revenue", "payback"}),
        ({"waste"}, {"revenue", "payback"}),
        ({"green"}, set()),
        ({"green", "mobility"}, {"revenue", "payback"}),
    ],
)
def test_only_the_questions_relevant_to_the_fields_are_asked(fields, extra):
    assert set(codes(fields)) == set(UNIVERSAL) | extra


def test_questions_come_in_the_questionnaire_order():
    assert codes({"energy"}) == ["stage", "size", "owner", "risk", "timeline", "revenue",
                                 "savings", "payback", "borrowing", "assistance", "cobenefits"]  # fmt: skip


@pytest.mark.parametrize(
    ("fields", "offered"),
    [
        ({"mobility"}, ["social", "health", "jobs", "participation", "cooperation"]),
        ({"green"}, ["social", "health", "nature", "adaptation", "jobs", "participation",
                     "cooperation"]),
        ({"waste"}, ["social", "jobs", "circular", "participation", "cooperation"]),
    ],
)  # fmt: skip
def test_co_benefits_offered_follow_the_fields(fields, offered):
    options = BY_CODE["cobenefits"].options_for(frozenset(fields))
    assert [option.code for option in options] == offered


@pytest.mark.parametrize(
    ("typed", "size"),
    [("2500000", 2_500_000), (" 2 500 000 ", 2_500_000), ("2,500,000", 2_500_000),
     ("2.500.000", 2_500_000), ("2\u202f500\u202f000", 2_500_000), ("1000", 1_000),
     ("0002000", 2_000), (str(MAX_SIZE), MAX_SIZE)],
)  # fmt: skip
def test_sizes_are_read_as_people_type_them(typed, size):
    assert parse_size(typed) == size


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-5", "at least €1,000"),
        ("-2000000", "at least €1,000"),
        ("999", "at least €1,000"),
        ("0", "at least €1,000"),
        (str(MAX_SIZE + 1), "at most €10,000,000,000"),
        ("9" * 5000, "at most €10,000,000,000"),
        ("2500000.50", "whole euros"),
        ("1e9", "whole euros"),
        ("two million", "whole euros"),
        ("٣٠٠٠", "whole euros"),  # Arabic-Indic digits
        ("--5", "whole euros"),
        ("", "Give the project's size"),
    ],
)
def test_bad_sizes_are_refused_with_a_message_that_says_what_to_do(typed, message):
    with pytest.raises(ValueError, match=message):
        parse_size(typed)


def test_complete_answers_are_checked_and_kept_in_the_questionnaire_order():
    checked = check(BUILDINGS)
    assert checked.errors == {}
    assert checked.answers == {
        "fields": ["buildings"], "stage": "feasibility", "size": 2_000_000,
        "owner": "municipal_company", "risk": "proven", "timeline": "1_to_3_years",
        "revenue": "yes", "savings": "yes", "payback": "medium", "borrowing": "limited",
        "assistance": "some", "cobenefits": ["jobs"],
    }  # fmt: skip


def test_step_1_is_required():
    assert check({}).errors == {"fields": ["Choose an answer."]}
    assert check({"fields": [" "]}).errors == {"fields": ["Choose an answer."]}


def test_an_unknown_field_of_action_is_named_with_the_choices():
    errors = check({**BUILDINGS, "fields": ["buildings", "space"]}).errors
    assert errors == {"fields": ["“space” is not an answer to this question. Choose from: Energy "
                                 "systems, Built environment, Mobility & transport, Waste & "
                                 "circular economy, Green infrastructure & nature-based "
                                 "solutions."]}  # fmt: skip


def test_a_single_choice_question_takes_one_answer_only():
    errors = check({**BUILDINGS, "stage": ["idea", "feasibility"]}).errors
    assert errors == {"stage": ["Choose one answer only."]}


def test_missing_answers_are_each_named():
    errors = check({"fields": ["green"]}).errors
    assert sorted(errors) == ["assistance", "borrowing", "owner", "risk", "size", "stage",
                              "timeline"]  # fmt: skip


def test_a_co_benefit_not_offered_for_the_fields_is_refused():
    errors = check({**BUILDINGS, "fields": ["mobility"], "cobenefits": ["nature"]}).errors
    assert list(errors) == ["cobenefits"]


def test_answers_to_questions_not_asked_are_left_out():
    green = {**BUILDINGS, "fields": ["green"], "cobenefits": ["nature"]}
    checked = check(green)
    assert checked.errors == {}
    assert {"revenue", "savings", "payback"}.isdisjoint(checked.answers)


def test_long_tampered_values_are_shortened_in_messages():
    errors = check({**BUILDINGS, "owner": ["x" * 5000]}).errors
    assert errors["owner"][0].startswith("“" + "x" * 40 + "…” is not an answer")


def test_the_query_string_round_trips_and_is_the_same_whatever_the_order_given():
    checked = check(BUILDINGS)
    query = query_string(checked.answers)
    assert query.startswith("fields=buildings&stage=feasibility&size=2000000&")
    again = check_query(QueryDict(query))
    assert again.answers == checked.answers
    shuffled = {**BUILDINGS, "fields": ["buildings", "energy"]}
    assert check(shuffled).answers["fields"] == ["energy", "buildings"]  # questionnaire order


def test_answers_are_described_in_words():
    lines = {line.question.code: line.text for line in describe(check(BUILDINGS).answers)}
    assert lines["fields"] == "Built environment"
    assert lines["size"] == "€2,000,000"
    assert lines["owner"] == "A municipal company or utility"


def test_answers_reach_the_matcher_as_sets_and_a_size():
    answers = for_matching(check(BUILDINGS).answers)
    assert answers.size == 2_000_000
    assert answers.choices["fields"] == frozenset({"buildings"})
    assert answers.choices["stage"] == frozenset({"feasibility"})


def test_rules_may_ask_every_question_with_answers_and_the_derived_ones_but_not_the_size():
    assert set(RULE_QUESTIONS) == {"fields", "stage", "owner", "risk", "timeline", "revenue",
                                   "savings", "payback", "borrowing", "assistance", "cobenefits",
                                   "size_band", "ticket"}  # fmt: skip


def test_the_derived_answers_rules_may_use_are_those_the_matcher_works_out():
    bands = [option.code for option in RULE_QUESTIONS["size_band"].options]
    assert bands == [code for code, _start in SIZE_BANDS]
    assert tuple(option.code for option in RULE_QUESTIONS["ticket"].options) == TICKET_VALUES
