"""Weighted scores and the ranking, computed by hand."""

from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from cityzero.programmes.scoring import Candidate, Criterion, Ranked, rank, weighted_score

# Ambition weighs 3 (0–5), resources 2 (0–5), inspiration 1 (0–10).
CRITERIA = [Criterion("a", 3, 5), Criterion("b", 2, 5), Criterion("c", 1, 10)]
EARLY, LATE = datetime(2026, 1, 10, 9, 0), datetime(2026, 1, 20, 9, 0)


def test_one_assessor_gives_the_weighted_share_of_the_highest_scores():
    # 100 × (3 × 4/5 + 2 × 3/5 + 1 × 5/10) / 6 = 100 × 4.1 / 6 = 68.33…
    score = weighted_score(CRITERIA, [{"a": 4, "b": 3, "c": 5}])
    assert score == Fraction(410, 6)


def test_several_assessors_are_averaged_criterion_by_criterion():
    # means: a (5+3)/2 = 4, b (4+2)/2 = 3, c (10+0)/2 = 5: the same 68.33… as above.
    sheets = [{"a": 5, "b": 4, "c": 10}, {"a": 3, "b": 2, "c": 0}]
    assert weighted_score(CRITERIA, sheets) == Fraction(410, 6)


def test_full_marks_make_100_and_nothing_makes_0():
    assert weighted_score(CRITERIA, [{"a": 5, "b": 5, "c": 10}]) == 100
    assert weighted_score(CRITERIA, [{"a": 0, "b": 0, "c": 0}]) == 0


def test_without_a_sheet_there_is_no_score():
    assert weighted_score(CRITERIA, []) is None
    assert weighted_score([], [{"a": 1}]) is None


def test_the_ranking_puts_the_best_first_and_breaks_ties_by_submission_time():
    candidates = [
        Candidate(1, LATE, ({"a": 4, "b": 3, "c": 5},)),  # 68.33
        Candidate(2, EARLY, ({"a": 5, "b": 4, "c": 10}, {"a": 3, "b": 2, "c": 0})),  # 68.33
        Candidate(3, LATE, ({"a": 5, "b": 5, "c": 10},)),  # 100
        Candidate(4, EARLY, ()),  # not scored
        Candidate(5, EARLY, ({"a": 0, "b": 0, "c": 0},)),  # 0
    ]
    ranked = rank(CRITERIA, candidates)
    assert [(r.key, r.position, r.percent, r.tie_broken) for r in ranked] == [
        (3, 1, Decimal("100.00"), False),
        (2, 2, Decimal("68.33"), False),
        (1, 3, Decimal("68.33"), True),
        (5, 4, Decimal("0.00"), False),
        (4, None, None, False),
    ]


def test_equal_scores_submitted_at_the_same_moment_go_by_number():
    same = ({"a": 1, "b": 1, "c": 1},)
    ranked = rank(CRITERIA, [Candidate(9, EARLY, same), Candidate(7, EARLY, same)])
    assert [r.key for r in ranked] == [7, 9]


def test_scores_are_shown_rounded_half_up_to_two_decimals():
    assert Ranked(1, 1, Fraction(12345, 1000)).percent == Decimal("12.35")
    assert Ranked(1, 1, Fraction(200, 3)).percent == Decimal("66.67")
