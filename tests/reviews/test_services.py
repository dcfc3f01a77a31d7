"""The review workflow's writes on real iterations: steps, the label, reviewers and their scores."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from cityzero.accounts.models import CityRole, PlatformRole
from cityzero.cities.models import MissionStatus
from cityzero.community.models import Notification
from cityzero.contracts import services as contracts
from cityzero.contracts.models import ImpactPathway, Iteration
from cityzero.contracts.modules import BY_CODE
from cityzero.reviews import services
from cityzero.reviews.models import Assignment, RubricScore, Transition
from cityzero.reviews.workflow import STEPS
from tests.contracts.conftest import add, complete, save_goal
from tests.factories import (
    AdvisorAssignmentFactory,
    LabelRoundFactory,
    MembershipFactory,
    UserFactory,
)
from tests.reviews.conftest import WAY, assign, in_days
from tests.reviews.test_workflow import ALLOWED, LABELS, LEGAL, NOT_FROM

pytestmark = pytest.mark.django_db

ALL_SIX = ["ambition", "completeness", "pathway", "investment", "governance", "multilevel"]


def status_of(iteration: Iteration) -> str:
    iteration.refresh_from_db()
    return iteration.status


def refused(call, *messages: str) -> None:
    with pytest.raises(ValidationError) as error:
        call()
    assert error.value.messages == list(messages)


# The way to the label


def test_the_way_from_draft_to_the_label(iteration, city, editor, staff, officer, label_round):
    complete(iteration)
    services.take_step(iteration, "submit", by=editor, message="  Our first contract. ")
    assert status_of(iteration) == "submitted"
    services.take_step(iteration, "open_feedback", by=staff)
    assert status_of(iteration) == "feedback"
    services.take_step(iteration, "forward", by=staff)
    assert status_of(iteration) == "commission"
    services.take_step(iteration, "endorse", by=officer, label_round=label_round)
    assert status_of(iteration) == "endorsed"
    assert iteration.label_round == label_round
    city.refresh_from_db()
    assert (city.mission_status, city.label_round) == (MissionStatus.LABELLED, label_round)
    assert [
        (t.step, t.source, t.target, t.actor, t.message) for t in iteration.transitions.all()
    ] == [
        ("submit", "draft", "submitted", editor, "Our first contract."),
        ("open_feedback", "submitted", "feedback", staff, ""),
        ("forward", "feedback", "commission", staff, ""),
        ("endorse", "commission", "endorsed", officer, ""),
    ]


def test_a_city_already_labelled_keeps_its_first_round(bring, iteration, city, officer):
    first = LabelRoundFactory(code="2023-10", name="Round of October 2023",
                              awarded_on=datetime.date(2023, 10, 9))  # fmt: skip
    city.mission_status, city.label_round = MissionStatus.LABELLED, first
    city.save()
    later = LabelRoundFactory(code="2025-06", name="Round of June 2025",
                              awarded_on=datetime.date(2025, 6, 12))  # fmt: skip
    bring(iteration, "commission")
    services.take_step(iteration, "endorse", by=officer, label_round=later)
    city.refresh_from_db()
    iteration.refresh_from_db()
    assert (city.mission_status, city.label_round) == (MissionStatus.LABELLED, first)
    assert (iteration.status, iteration.label_round) == ("endorsed", later)


def test_the_platform_asks_for_changes_and_the_iteration_closes(bring, iteration, staff):
    bring(iteration, "feedback")
    transition = services.take_step(iteration, "request_changes", by=staff,
                                    message="Cost the district heating.")  # fmt: skip
    assert status_of(iteration) == "revisions"
    assert (transition.source, transition.target, transition.message) == (
        "feedback", "revisions", "Cost the district heating.",
    )  # fmt: skip
    assert iteration.label_round is None


def test_the_commission_requests_revisions(bring, iteration, city, officer):
    bring(iteration, "commission")
    services.take_step(iteration, "request_revisions", by=officer, message="Raise the target.")
    assert status_of(iteration) == "revisions"
    city.refresh_from_db()
    assert (city.mission_status, city.label_round) == (MissionStatus.SELECTED, None)


@pytest.mark.parametrize("status", ["submitted", "feedback", "commission"])
def test_the_city_withdraws_while_in_review(bring, iteration, editor, status):
    bring(iteration, status)
    transition = services.take_step(iteration, "withdraw", by=editor, message="Council elections.")
    assert status_of(iteration) == "withdrawn"
    assert (transition.source, transition.actor) == (status, editor)


# Refusals

ILLEGAL = [
    (status, code)
    for status, codes in {
        "draft": ["open_feedback", "request_changes", "forward", "request_revisions", "endorse",
                  "withdraw"],
        "submitted": ["submit", "request_changes", "forward", "request_revisions", "endorse"],
        "feedback": ["submit", "open_feedback", "request_revisions", "endorse"],
        "commission": ["submit", "open_feedback", "request_changes", "forward"],
        "revisions": ["submit", "open_feedback", "request_changes", "forward",
                      "request_revisions", "endorse", "withdraw"],
        "endorsed": ["submit", "open_feedback", "request_changes", "forward",
                     "request_revisions", "endorse", "withdraw"],
        "withdrawn": ["submit", "open_feedback", "request_changes", "forward",
                      "request_revisions", "endorse", "withdraw"],
    }.items()
    for code in codes
]  # fmt: skip
REASON = {
    "revisions": "This iteration is closed (Revisions requested). The city revises the contract "
    "in its next iteration and submits that one.",
    "withdrawn": "This iteration is closed (Withdrawn). The city revises the contract in its "
    "next iteration and submits that one.",
    "endorsed": "This iteration is endorsed: the decision is final.",
}


def test_the_illegal_pairs_here_and_the_legal_table_of_the_workflow_test_fill_the_grid():
    legal = {(status, code) for code, statuses in LEGAL.items() for status in statuses}
    grid = {(status, code) for status in WAY for code in LEGAL}
    assert set(ILLEGAL) | legal == grid and not set(ILLEGAL) & legal


@pytest.mark.parametrize("status, code", ILLEGAL)
def test_an_illegal_step_is_refused_with_the_reason_and_changes_nothing(
    bring, iteration, officer, label_round, status, code
):
    bring(iteration, status)
    count = Transition.objects.count()
    with pytest.raises(ValidationError) as error:
        services.take_step(iteration, code, by=officer, message="Why not.",
                           label_round=label_round)  # fmt: skip
    expected = REASON.get(status) or NOT_FROM.format(STEPS[code].label, LABELS[status],
                                                      ALLOWED[code])  # fmt: skip
    assert error.value.messages == [expected]
    assert status_of(iteration) == status
    assert Transition.objects.count() == count


def test_submitting_is_refused_while_the_checklist_fails(iteration, editor):
    complete(iteration)
    save_goal(iteration, council_decision="")
    refused(
        lambda: services.take_step(iteration, "submit", by=editor),
        "The submission checklist does not pass yet:",
        "Add a council decision reference in Commitments → Goal.",
    )
    assert status_of(iteration) == "draft"
    assert not Transition.objects.exists()


def test_submitting_is_refused_while_another_iteration_is_in_review(bring, iteration, editor):
    bring(iteration, "feedback")
    second = contracts.start_next_iteration(iteration.contract, by=editor)
    refused(
        lambda: services.take_step(second, "submit", by=editor),
        "Iteration 1 is still under review: wait for the decision, or withdraw it first.",
    )
    assert status_of(second) == "draft"
    services.take_step(iteration, "withdraw", by=editor, message="We submit the second.")
    services.take_step(second, "submit", by=editor)
    assert status_of(second) == "submitted"


@pytest.mark.parametrize(
    "status, code, label",
    [
        ("feedback", "request_changes", "Ask the city for changes"),
        ("commission", "request_revisions", "Request revisions"),
        ("submitted", "withdraw", "Withdraw the submission"),
    ],
)
@pytest.mark.parametrize("message", ["", "  \n "])
def test_a_step_that_needs_a_message_is_refused_without_one(
    bring, iteration, officer, status, code, label, message
):
    bring(iteration, status)
    refused(
        lambda: services.take_step(iteration, code, by=officer, message=message),
        f"Write a message: “{label}” needs one.",
    )
    assert status_of(iteration) == status
    assert iteration.transitions.count() == len(WAY[status])


def test_a_message_over_5000_characters_is_refused(bring, iteration, staff):
    bring(iteration, "feedback")
    refused(
        lambda: services.take_step(iteration, "request_changes", by=staff, message="x" * 5001),
        "Keep the message to 5,000 characters or fewer.",
    )
    assert status_of(iteration) == "feedback"
    services.take_step(iteration, "request_changes", by=staff, message="x" * 5000)
    assert status_of(iteration) == "revisions"


def test_endorsing_without_a_round_is_refused(bring, iteration, city, officer):
    bring(iteration, "commission")
    refused(
        lambda: services.take_step(iteration, "endorse", by=officer),
        "Choose the round in which the Mission Label is awarded.",
    )
    city.refresh_from_db()
    assert status_of(iteration) == "commission" and iteration.label_round is None
    assert (city.mission_status, city.label_round) == (MissionStatus.SELECTED, None)


def test_an_unknown_step_is_refused(bring, iteration, staff):
    bring(iteration, "submitted")
    refused(lambda: services.take_step(iteration, "approve", by=staff), "There is no such step.")
    assert status_of(iteration) == "submitted"


# A submitted iteration is frozen

FROZEN = (
    "Iteration 1 has been submitted and can no longer change. Start the next iteration to make "
    "changes."
)


def test_a_submitted_iteration_refuses_every_edit(bring, iteration):
    bring(iteration, "submitted")
    action = iteration.actions.get(name="District heating")
    goal = iteration.modules.get(module="goal")
    refused(lambda: save_goal(iteration, council_decision="Changed"), FROZEN)
    refused(lambda: add(iteration, ImpactPathway(name="Late", field_of_action="energy",
                                                 lever="finance")), FROZEN)  # fmt: skip
    action.name = "Renamed"
    refused(lambda: contracts.save_part(iteration, action, base_version=action.version, by=None),
            FROZEN)  # fmt: skip
    refused(lambda: contracts.delete_part(iteration, action, by=None), FROZEN)
    refused(
        lambda: contracts.update_settings(
            iteration, base_version=iteration.version, by=None, target_share=90
        ),
        FROZEN,
    )
    refused(lambda: contracts.save_module(iteration, BY_CODE["residual"], fields={},
                                          tables={}, base_version=1, by=None), FROZEN)  # fmt: skip
    iteration.refresh_from_db()
    assert iteration.target_share == 80 and iteration.pathways.count() == 1
    assert iteration.actions.get(pk=action.pk).name == "District heating"
    assert iteration.modules.get(module="goal").data == goal.data


# Resubmission


def test_a_resubmission_goes_back_to_the_earlier_reviewers_with_new_deadlines(
    bring, iteration, city, editor, staff, make_person
):
    bring(iteration, "feedback")
    reviewer = UserFactory(platform_role=PlatformRole.REVIEWER)
    advisor = make_person("advisor_elsewhere")
    assign(iteration, reviewer, module="actions", by=staff)
    assign(iteration, advisor, stage="commission", by=staff)
    Assignment.objects.update(due_on=in_days(2))
    services.take_step(iteration, "request_changes", by=staff, message="Cost the actions.")
    AdvisorAssignmentFactory(advisor=advisor, city=city)  # meanwhile advises Aachen
    second = contracts.start_next_iteration(iteration.contract, by=editor)
    services.take_step(second, "submit", by=editor)
    assert [
        (a.reviewer, a.stage, a.module, a.expertise, a.due_on, a.assigned_by)
        for a in second.assignments.all()
    ] == [(reviewer, "feedback", "actions", "thematic", in_days(21), editor)]
    assert iteration.assignments.count() == 2  # the earlier ones stay on record


def test_a_first_submission_has_no_reviewers_to_carry_over(bring, iteration):
    bring(iteration, "submitted")
    assert not iteration.assignments.exists()


def test_an_inactive_reviewer_is_not_carried_over(bring, iteration, editor, staff, reviewer):
    bring(iteration, "feedback")
    assign(iteration, reviewer, by=staff)
    services.take_step(iteration, "request_changes", by=staff, message="Cost the actions.")
    reviewer.is_active = False
    reviewer.save()
    second = contracts.start_next_iteration(iteration.contract, by=editor)
    services.take_step(second, "submit", by=editor)
    assert not second.assignments.exists()


def test_a_reviewer_who_is_no_longer_a_reviewer_is_not_carried_over(
    bring, iteration, editor, staff, reviewer
):
    bring(iteration, "feedback")
    assign(iteration, reviewer, by=staff)
    services.take_step(iteration, "request_changes", by=staff, message="Cost the actions.")
    reviewer.platform_role = PlatformRole.NONE
    reviewer.save()
    second = contracts.start_next_iteration(iteration.contract, by=editor)
    services.take_step(second, "submit", by=editor)
    assert not second.assignments.exists()


# Assigning reviewers


def test_staff_assign_a_reviewer_with_a_deadline(bring, iteration, staff, reviewer):
    bring(iteration, "submitted")
    assignment = services.assign_reviewer(
        iteration, reviewer=reviewer, stage="commission", expertise="eib", due_on=in_days(30),
        module="ip_b2", by=staff,
    )  # fmt: skip
    assert (assignment.iteration, assignment.reviewer, assignment.stage, assignment.module) == (
        iteration, reviewer, "commission", "ip_b2",
    )  # fmt: skip
    assert (assignment.expertise, assignment.due_on, assignment.assigned_by) == (
        "eib", in_days(30), staff,
    )  # fmt: skip


def test_the_reviewer_is_notified_once(bring, iteration, staff, reviewer):
    bring(iteration, "submitted")
    assignment = assign(iteration, reviewer, module="ip_b2", by=staff)
    [notification] = Notification.objects.filter(recipient=reviewer)
    assert notification.source == f"assignment:{assignment.pk}"
    assert notification.title == (
        f"Please review the contract of Aachen by {in_days(21).isoformat()}"
    )
    assert notification.body == "Stage: Platform feedback. Part: Capital planning."
    assert notification.url == "/cities/aachen/contract/1/review/"
    assert Notification.objects.filter(source__startswith="assignment:").count() == 1


def test_a_whole_submission_task_says_so(bring, iteration, staff, reviewer):
    bring(iteration, "submitted")
    assign(iteration, reviewer, stage="commission", by=staff)
    assert Notification.objects.get(recipient=reviewer).body == (
        "Stage: Commission review. Part: the whole submission."
    )


def test_a_member_of_the_citys_team_never_reviews_it(bring, iteration, city, staff, reviewer):
    bring(iteration, "submitted")
    MembershipFactory(user=reviewer, city=city, role=CityRole.VIEWER)
    refused(
        lambda: assign(iteration, reviewer, by=staff),
        "Rita Reviewer belongs to the team of Aachen: nobody reviews their own city.",
    )
    assert not Assignment.objects.exists()
    assert not Notification.objects.filter(recipient=reviewer).exists()


def test_an_advisor_of_the_city_never_reviews_it(bring, iteration, city, staff):
    bring(iteration, "submitted")
    advisor = UserFactory(platform_role=PlatformRole.ADVISOR, full_name="Ada Advisor")
    AdvisorAssignmentFactory(advisor=advisor, city=city)
    refused(
        lambda: assign(iteration, advisor, by=staff),
        "Ada Advisor advises Aachen: an advisor never reviews a city they advise.",
    )
    assert not Assignment.objects.exists()


def test_an_advisor_of_another_city_may_review(bring, iteration, staff, make_person):
    bring(iteration, "submitted")
    advisor = make_person("advisor_elsewhere")
    assert assign(iteration, advisor, by=staff).reviewer == advisor


@pytest.mark.parametrize("role", [PlatformRole.NONE, PlatformRole.STAFF,
                                  PlatformRole.COMMISSION_OFFICER])  # fmt: skip
def test_only_advisors_and_reviewers_are_assigned(bring, iteration, staff, role):
    bring(iteration, "submitted")
    person = UserFactory(platform_role=role, full_name="Pat Person")
    refused(
        lambda: assign(iteration, person, by=staff),
        "Pat Person is not an active advisor or reviewer of the platform.",
    )
    assert not Assignment.objects.exists()


def test_an_inactive_reviewer_is_not_assigned(bring, iteration, staff, reviewer):
    bring(iteration, "submitted")
    reviewer.is_active = False
    reviewer.save()
    refused(
        lambda: assign(iteration, reviewer, by=staff),
        "Rita Reviewer is not an active advisor or reviewer of the platform.",
    )


@pytest.mark.parametrize("status", ["draft", "revisions", "endorsed", "withdrawn"])
def test_reviewers_are_assigned_only_while_in_review(bring, iteration, staff, reviewer, status):
    bring(iteration, status)
    refused(
        lambda: assign(iteration, reviewer, by=staff),
        "Reviewers are assigned to iterations under review only.",
    )
    assert not Assignment.objects.exists()


@pytest.mark.parametrize("days", [-1, 366])
def test_a_deadline_outside_the_next_year_is_refused(bring, iteration, staff, reviewer, days):
    bring(iteration, "submitted")
    refused(
        lambda: services.assign_reviewer(iteration, reviewer=reviewer, stage="feedback",
                                         expertise="jrc", due_on=in_days(days), by=staff),
        "The deadline must be between today and a year from now.",
    )  # fmt: skip
    assert not Assignment.objects.exists()


@pytest.mark.parametrize("days", [0, 365])
def test_a_deadline_today_or_a_year_ahead_is_fine(bring, iteration, staff, reviewer, days):
    bring(iteration, "submitted")
    assignment = services.assign_reviewer(iteration, reviewer=reviewer, stage="feedback",
                                          expertise="jrc", due_on=in_days(days), by=staff)  # fmt: skip
    assert assignment.due_on == in_days(days)


def test_the_same_task_twice_is_refused(bring, iteration, staff, reviewer):
    bring(iteration, "submitted")
    assign(iteration, reviewer, module="actions", by=staff)
    refused(
        lambda: assign(iteration, reviewer, module="actions", by=staff),
        "Rita Reviewer already has this task.",
    )
    assign(iteration, reviewer, module="goal", by=staff)  # another module is another task
    assign(iteration, reviewer, module="actions", stage="commission", by=staff)
    assert Assignment.objects.count() == 3
    assert Notification.objects.filter(recipient=reviewer).count() == 3


def test_an_unknown_module_is_refused(bring, iteration, staff, reviewer):
    bring(iteration, "submitted")
    refused(lambda: assign(iteration, reviewer, module="chapter9", by=staff),
            "There is no such module.")  # fmt: skip
    assert not Assignment.objects.exists()


def test_an_unknown_stage_is_refused(bring, iteration, staff, reviewer):
    bring(iteration, "submitted")
    refused(lambda: assign(iteration, reviewer, stage="final", by=staff),
            "Choose the review stage.")  # fmt: skip


def test_an_unknown_expertise_is_refused(bring, iteration, staff, reviewer):
    bring(iteration, "submitted")
    refused(
        lambda: services.assign_reviewer(iteration, reviewer=reviewer, stage="feedback",
                                         expertise="oracle", due_on=in_days(7), by=staff),
        "Choose what the reviewer reviews as.",
    )  # fmt: skip
    assert not Assignment.objects.exists()


def test_an_open_task_is_withdrawn_and_a_submitted_one_stays(bring, iteration, staff, reviewer):
    bring(iteration, "feedback")
    open_task = assign(iteration, reviewer, module="goal", by=staff)
    done = assign(iteration, reviewer, module="actions", by=staff)
    services.save_review(done, scores={"pathway": (4, "Adds up.")}, recommendation="minor",
                         summary="", submit=True)  # fmt: skip
    services.withdraw_assignment(open_task)
    refused(lambda: services.withdraw_assignment(Assignment.objects.get(pk=done.pk)),
            "This review is submitted and stays on record.")  # fmt: skip
    assert list(Assignment.objects.all()) == [done]


# Scoring


def every_score(value: int = 4) -> dict:
    return {code: (value, f"Why {code} earns {value}.") for code in ALL_SIX}


@pytest.fixture
def task(bring, iteration, staff, reviewer):
    """The reviewer's whole-submission task in platform feedback."""
    bring(iteration, "feedback")
    return assign(iteration, reviewer, by=staff)


def stored(assignment: Assignment) -> dict:
    return {s.criterion: (s.score, s.justification) for s in assignment.scores.all()}


def test_a_reviewer_keeps_a_draft_and_changes_it(task):
    services.save_review(task, scores={"ambition": (3, " Close to 80%. "), "pathway": (None, "")},
                         recommendation="", summary=" Promising. ", submit=False)  # fmt: skip
    task.refresh_from_db()
    assert stored(task) == {"ambition": (3, "Close to 80%.")}
    assert (task.summary, task.recommendation, task.submitted_at) == ("Promising.", "", None)
    services.save_review(task, scores={"ambition": (None, ""), "pathway": (2, "Gaps.")},
                         recommendation="major", summary="", submit=False)  # fmt: skip
    task.refresh_from_db()
    assert stored(task) == {"pathway": (2, "Gaps.")}
    assert (task.recommendation, task.is_submitted) == ("major", False)


def test_a_submitted_review_has_every_criterion_and_a_recommendation(task):
    services.save_review(task, scores=every_score(), recommendation="endorse",
                         summary="Ready.", submit=True)  # fmt: skip
    task.refresh_from_db()
    assert task.is_submitted and task.recommendation == "endorse"
    assert sorted(stored(task)) == sorted(ALL_SIX)


def test_submitting_needs_a_recommendation_and_every_criterion(task):
    scores = every_score()
    del scores["investment"], scores["multilevel"]
    refused(
        lambda: services.save_review(
            task, scores=scores, recommendation="", summary="", submit=True
        ),
        "Give your recommendation before you submit.",
        "Score every criterion before you submit: Realism of the investment plan, "
        "Multi-level commitments.",
    )
    task.refresh_from_db()
    assert not task.is_submitted and not RubricScore.objects.exists()


def test_a_module_task_is_submitted_with_one_criterion(bring, iteration, staff, reviewer):
    bring(iteration, "feedback")
    task = assign(iteration, reviewer, module="ip_b2", by=staff)
    refused(
        lambda: services.save_review(
            task, scores={}, recommendation="minor", summary="", submit=True
        ),
        "Score at least one criterion before you submit.",
    )
    services.save_review(task, scores={"investment": (2, "Half the costs are missing.")},
                         recommendation="minor", summary="", submit=True)  # fmt: skip
    task.refresh_from_db()
    assert task.is_submitted and stored(task) == {"investment": (2, "Half the costs are missing.")}


def test_every_score_needs_a_justification(task):
    refused(
        lambda: services.save_review(
            task,
            scores={"ambition": (4, "  "), "pathway": (3, "Ok.")},
            recommendation="",
            summary="",
            submit=False,
        ),
        "Ambition: justify the score.",
    )
    assert not RubricScore.objects.exists()


@pytest.mark.parametrize("score", [0, 6, -1])
def test_a_score_outside_one_to_five_is_refused(task, score):
    refused(
        lambda: services.save_review(
            task,
            scores={"governance": (score, "Because.")},
            recommendation="",
            summary="",
            submit=False,
        ),
        "Governance and participation: score from 1 to 5.",
    )
    assert not RubricScore.objects.exists()


def test_an_unknown_criterion_or_recommendation_is_refused(task):
    refused(
        lambda: services.save_review(
            task,
            scores={"beauty": (5, "Lovely.")},
            recommendation="maybe",
            summary="",
            submit=False,
        ),
        "There is no criterion “beauty”.",
        "Choose a recommendation from the list.",
    )


def test_a_justification_over_5000_characters_is_refused(task):
    refused(
        lambda: services.save_review(
            task, scores={"ambition": (4, "x" * 5001)}, recommendation="", summary="", submit=False
        ),
        "Ambition: keep the justification to 5,000 characters or fewer.",
    )


def test_a_summary_over_10000_characters_is_refused(task):
    refused(
        lambda: services.save_review(
            task, scores={}, recommendation="", summary="x" * 10_001, submit=False
        ),
        "Keep the summary to 10,000 characters or fewer.",
    )


def test_a_submitted_review_cannot_change(task):
    services.save_review(task, scores=every_score(4), recommendation="endorse", summary="",
                         submit=True)  # fmt: skip
    refused(
        lambda: services.save_review(
            task, scores=every_score(1), recommendation="major", summary="", submit=False
        ),
        "You have submitted this review; it can no longer change.",
    )
    task.refresh_from_db()
    assert task.recommendation == "endorse" and {s for s, _ in stored(task).values()} == {4}


def test_a_review_cannot_change_once_the_iteration_left_its_stage(task, iteration, staff):
    services.save_review(task, scores={"ambition": (3, "Fair.")}, recommendation="",
                         summary="", submit=False)  # fmt: skip
    services.take_step(iteration, "forward", by=staff)
    refused(
        lambda: services.save_review(
            task, scores=every_score(), recommendation="endorse", summary="", submit=True
        ),
        "The submission is no longer in Platform feedback; the review can no longer change.",
    )
    task.refresh_from_db()
    assert stored(task) == {"ambition": (3, "Fair.")} and not task.is_submitted


def test_a_commission_task_waits_for_the_commission_stage(bring, iteration, staff, reviewer):
    bring(iteration, "feedback")
    task = assign(iteration, reviewer, stage="commission", by=staff)
    refused(
        lambda: services.save_review(task, scores={}, recommendation="", summary="", submit=False),
        "The submission is not in Commission review yet; score it once it is.",
    )
    services.take_step(iteration, "forward", by=staff)
    services.save_review(task, scores=every_score(), recommendation="endorse", summary="",
                         submit=True)  # fmt: skip
    assert Assignment.objects.get(pk=task.pk).is_submitted
