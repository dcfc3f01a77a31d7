"""The table of steps, read without a database: which step is legal from which status, and why not."""

import pytest

from cityzero.contracts.models import IterationStatus
from cityzero.reviews.workflow import STEPS, refusal, steps_from

# Written out by hand from the issue, not derived from STEPS: step → statuses it may start from.
LEGAL = {
    "submit": {"draft"},
    "open_feedback": {"submitted"},
    "request_changes": {"feedback"},
    "forward": {"feedback"},
    "request_revisions": {"commission"},
    "endorse": {"commission"},
    "withdraw": {"submitted", "feedback", "commission"},
}
TARGET = {
    "submit": "submitted",
    "open_feedback": "feedback",
    "request_changes": "revisions",
    "forward": "commission",
    "request_revisions": "revisions",
    "endorse": "endorsed",
    "withdraw": "withdrawn",
}
# What the refusal names as the allowed states, in the order of the way to the label.
ALLOWED = {
    "submit": "Draft",
    "open_feedback": "Submitted",
    "request_changes": "Platform feedback",
    "forward": "Platform feedback",
    "request_revisions": "Commission review",
    "endorse": "Commission review",
    "withdraw": "Submitted, Platform feedback, Commission review",
}
STATUSES = ["draft", "submitted", "feedback", "commission", "revisions", "endorsed", "withdrawn"]
FINAL_WORD = "This iteration is endorsed: the decision is final."
CLOSED = (
    "This iteration is closed ({}). The city revises the contract in its next iteration and "
    "submits that one."
)
NOT_FROM = "“{}” is not possible while the iteration is “{}”; only from: {}."


def test_the_table_holds_exactly_the_steps_of_the_issue():
    assert set(STEPS) == set(LEGAL)
    assert {code: step.target for code, step in STEPS.items()} == TARGET


def test_every_status_is_covered():
    assert sorted(STATUSES) == sorted(IterationStatus.values)


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("code", sorted(LEGAL))
def test_a_step_is_refused_exactly_outside_its_legal_sources(code, status):
    assert (refusal(STEPS[code], status) is None) is (status in LEGAL[code])


@pytest.mark.parametrize("code", sorted(LEGAL))
def test_nothing_moves_an_endorsed_iteration_because_the_decision_is_final(code):
    assert refusal(STEPS[code], "endorsed") == FINAL_WORD


@pytest.mark.parametrize("code", sorted(LEGAL))
@pytest.mark.parametrize("status, label", [("revisions", "Revisions requested"),
                                           ("withdrawn", "Withdrawn")])  # fmt: skip
def test_a_closed_iteration_points_to_the_next_iteration(code, status, label):
    assert refusal(STEPS[code], status) == CLOSED.format(label)


LABELS = {"draft": "Draft", "submitted": "Submitted", "feedback": "Platform feedback",
          "commission": "Commission review"}  # fmt: skip


@pytest.mark.parametrize(
    "code, status",
    [(code, status) for code in sorted(LEGAL) for status in LABELS if status not in LEGAL[code]],
)
def test_an_open_iteration_is_told_where_the_step_is_possible(code, status):
    expected = NOT_FROM.format(STEPS[code].label, LABELS[status], ALLOWED[code])
    assert refusal(STEPS[code], status) == expected


def test_the_refusal_names_the_step_the_status_and_the_allowed_ones():
    assert refusal(STEPS["endorse"], "submitted") == (
        "“Endorse and award the Mission Label” is not possible while the iteration is "
        "“Submitted”; only from: Commission review."
    )
    assert refusal(STEPS["withdraw"], "draft") == (
        "“Withdraw the submission” is not possible while the iteration is “Draft”; only from: "
        "Submitted, Platform feedback, Commission review."
    )


@pytest.mark.parametrize(
    "status, codes",
    [
        ("draft", ["submit"]),
        ("submitted", ["open_feedback", "withdraw"]),
        ("feedback", ["request_changes", "forward", "withdraw"]),
        ("commission", ["request_revisions", "endorse", "withdraw"]),
        ("revisions", []),
        ("endorsed", []),
        ("withdrawn", []),
    ],
)
def test_the_steps_offered_from_each_status(status, codes):
    assert [step.code for step in steps_from(status)] == codes


def test_the_steps_that_need_a_message():
    needs = {code for code, step in STEPS.items() if step.message_required}
    assert needs == {"request_changes", "request_revisions", "withdraw"}


@pytest.mark.parametrize(
    "code, permission",
    [
        ("submit", "contract.submit"),
        ("open_feedback", "review.manage"),
        ("request_changes", "review.give_feedback"),
        ("forward", "review.manage"),
        ("request_revisions", "review.decide"),
        ("endorse", "review.decide"),
        ("withdraw", "contract.withdraw"),
    ],
)
def test_each_step_is_guarded_by_its_permission(code, permission):
    assert STEPS[code].permission == permission
