"""Who may read, comment on, move and review a submission: every review rule × every role.

Besides the roles of ``tests.conftest`` there are the people a submission brings: a reviewer
assigned to it, an advisor of another city assigned to review it, and a reviewer who is assigned
but also belongs to the city's team (a conflict of interest ``Roles.reviews`` refuses).
"""

import datetime

import pytest
from django.utils import timezone

from cityzero.accounts.models import CityRole, PlatformRole
from cityzero.accounts.permissions import can
from cityzero.cities.models import Visibility
from cityzero.contracts.models import Contract, Iteration, IterationStatus, ModuleComment
from cityzero.reviews.models import Assignment
from tests.factories import AdvisorAssignmentFactory, MembershipFactory, UserFactory
from tests.inventories.test_permissions import ROLES as CITY_ROLES

pytestmark = pytest.mark.django_db

ROLES = [*CITY_ROLES, "assigned_reviewer", "assigned_advisor", "conflicted_reviewer"]
TEAM = {"viewer", "editor", "coordinator", "conflicted_reviewer"}  # members of Aachen
SPEAKS_FOR_CITY = {"editor", "coordinator"}
ASSIGNED = {"assigned_reviewer", "assigned_advisor"}

# Expected answers on a team-only iteration of Aachen that is under review, written by hand.
EXPECTED = {
    "contract.view": TEAM | {"advisor_of_city", "staff", "officer"} | ASSIGNED,
    "contract.read_comments": TEAM | {"advisor_of_city", "staff", "officer"} | ASSIGNED,
    "contract.comment": {"editor", "coordinator", "advisor_of_city", "staff", "officer"} | ASSIGNED,
    "contract.submit": SPEAKS_FOR_CITY,
    "contract.withdraw": SPEAKS_FOR_CITY,
    "review.manage": {"staff"},
    "review.give_feedback": {"staff", "assigned_reviewer"},  # the advisor reviews for the EC
    "review.decide": {"officer"},
    "review.read": {"staff", "officer"} | ASSIGNED,
    "review.oversee": {"staff", "officer"},
}
# Rules whose subject is not the iteration: tested below with tables of their own.
OTHER_SUBJECTS = {"review.score", "contract.resolve_comment"}
REVIEW_ACTIONS = set(EXPECTED) | OTHER_SUBJECTS


def submission(city, status: str = IterationStatus.FEEDBACK, number: int = 1) -> Iteration:
    contract, _created = Contract.objects.get_or_create(city=city)
    return Iteration.objects.create(contract=contract, number=number, status=status,
                                    visibility=Visibility.TEAM)  # fmt: skip


def task(iteration: Iteration, reviewer, stage: str = "feedback", **fields) -> Assignment:
    # Straight into the table: the conflicted reviewer is one the service would refuse.
    return Assignment.objects.create(iteration=iteration, reviewer=reviewer, stage=stage,
                                     expertise="thematic", due_on=datetime.date(2030, 1, 31),
                                     **fields)  # fmt: skip


@pytest.fixture
def person_for(make_person, city, other_city):
    """person_for(role, iteration): someone holding the role towards Aachen and this iteration."""

    def make(role: str, iteration: Iteration):
        if role == "assigned_reviewer":
            person = UserFactory(platform_role=PlatformRole.REVIEWER)
            task(iteration, person, "feedback")
        elif role == "assigned_advisor":
            person = AdvisorAssignmentFactory(city=other_city).advisor
            task(iteration, person, "commission")
        elif role == "conflicted_reviewer":
            person = UserFactory(platform_role=PlatformRole.REVIEWER)
            MembershipFactory(user=person, city=city, role=CityRole.VIEWER)
            task(iteration, person, "feedback")
        else:
            person = make_person(role)
        return person

    return make


def test_the_roles_and_actions_here_are_the_ones_the_tables_name():
    assert set(CITY_ROLES) == {"anonymous", "member", "viewer", "editor", "coordinator",
                               "editor_of_other_city", "advisor_of_city", "advisor_elsewhere",
                               "reviewer", "officer", "staff"}  # fmt: skip
    assert all(expected <= set(ROLES) for expected in EXPECTED.values())


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_a_submission_under_review_follows_the_table(person_for, city, role, action):
    iteration = submission(city)
    assert can(person_for(role, iteration), action, iteration) is (role in EXPECTED[action])


@pytest.mark.parametrize("role", [*CITY_ROLES, "conflicted_reviewer"])  # drafts have no reviewers
def test_a_team_only_draft_is_not_read_by_officers(person_for, city, role):
    draft = submission(city, IterationStatus.DRAFT)
    readers = TEAM | {"advisor_of_city", "staff"}
    assert can(person_for(role, draft), "contract.view", draft) is (role in readers)


@pytest.mark.parametrize("role", ["assigned_reviewer", "assigned_advisor"])
def test_a_reviewer_reads_the_iteration_assigned_not_the_citys_next_draft(person_for, city, role):
    reviewed = submission(city, IterationStatus.REVISIONS_REQUESTED)
    person = person_for(role, reviewed)
    draft = submission(city, IterationStatus.DRAFT, number=2)
    assert can(person, "contract.view", reviewed) and can(person, "review.read", reviewed)
    assert not can(person, "contract.view", draft)
    assert not can(person, "contract.read_comments", draft)


def test_an_assignment_elsewhere_gives_no_rights_here(city, other_city):
    here = submission(city)
    elsewhere = submission(other_city)
    reviewer = UserFactory(platform_role=PlatformRole.REVIEWER)
    task(elsewhere, reviewer)
    assert can(reviewer, "contract.view", elsewhere)
    for action in ("contract.view", "contract.read_comments", "review.read", "contract.comment"):
        assert not can(reviewer, action, here), action


def test_an_assigned_person_who_is_no_longer_a_reviewer_loses_the_rights(city):
    iteration = submission(city)
    person = UserFactory(platform_role=PlatformRole.REVIEWER)
    task(iteration, person)
    person.platform_role = PlatformRole.NONE
    person.save()
    fresh = type(person).objects.get(pk=person.pk)  # roles are read once per user object
    assert not can(fresh, "contract.view", iteration)
    assert not can(fresh, "review.read", iteration)


@pytest.mark.parametrize("status", [IterationStatus.SUBMITTED, IterationStatus.COMMISSION_REVIEW,
                                    IterationStatus.ENDORSED, IterationStatus.WITHDRAWN])  # fmt: skip
def test_officers_read_every_submitted_iteration(make_person, city, status):
    iteration = submission(city, status)
    assert can(make_person("officer"), "contract.view", iteration)
    assert can(make_person("officer"), "contract.read_comments", iteration)


def test_a_reviewer_who_joins_the_citys_team_is_refused_as_reviewer(city):
    iteration = submission(city)
    reviewer = UserFactory(platform_role=PlatformRole.REVIEWER)
    task(iteration, reviewer)
    assert can(reviewer, "review.give_feedback", iteration)
    MembershipFactory(user=reviewer, city=city, role=CityRole.EDITOR)
    reviewer = type(reviewer).objects.get(pk=reviewer.pk)
    assert not can(reviewer, "review.give_feedback", iteration)
    assert not can(reviewer, "review.read", iteration)


# review.score: only the task's own reviewer, only before the review is submitted

SCORERS = {"assigned_reviewer", "assigned_advisor"}  # each on their own task


@pytest.mark.parametrize("role", ROLES)
def test_nobody_scores_someone_elses_task(person_for, city, role):
    iteration = submission(city)
    person = person_for(role, iteration)
    someone_elses = task(iteration, UserFactory(platform_role=PlatformRole.REVIEWER))
    assert not can(person, "review.score", someone_elses)


@pytest.mark.parametrize("role", ["assigned_reviewer", "assigned_advisor", "conflicted_reviewer"])
def test_an_assigned_reviewer_scores_their_own_task_unless_conflicted(person_for, city, role):
    iteration = submission(city)
    person = person_for(role, iteration)
    own = Assignment.objects.get(reviewer=person)
    Iteration.objects.filter(pk=iteration.pk).update(status=own.stage)  # the task's stage is now
    own = Assignment.objects.get(reviewer=person)
    assert can(person, "review.score", own) is (role in SCORERS)


def test_a_task_is_scored_only_while_the_submission_is_in_its_stage(city):
    iteration = submission(city, IterationStatus.FEEDBACK)
    reviewer = UserFactory(platform_role=PlatformRole.REVIEWER)
    later = task(iteration, reviewer, "commission")
    assert not can(reviewer, "review.score", later)  # not yet
    Iteration.objects.filter(pk=iteration.pk).update(status=IterationStatus.COMMISSION_REVIEW)
    reviewer = type(reviewer).objects.get(pk=reviewer.pk)
    assert can(reviewer, "review.score", Assignment.objects.get(pk=later.pk))


@pytest.mark.parametrize("role", sorted(SCORERS))
def test_a_submitted_review_is_scored_by_nobody(person_for, city, role):
    iteration = submission(city)
    person = person_for(role, iteration)
    own = Assignment.objects.get(reviewer=person)
    own.submitted_at = timezone.now()
    own.save()
    assert not can(person, "review.score", own)


# contract.resolve_comment: the thread's author, or staff


@pytest.mark.parametrize("role", ROLES)
def test_the_author_of_a_thread_and_staff_resolve_it(person_for, city, role):
    iteration = submission(city)
    person = person_for(role, iteration)
    author = UserFactory()
    theirs = ModuleComment(iteration=iteration, module="goal", author=author, body="Why?")
    assert can(person, "contract.resolve_comment", theirs) is (role == "staff")
    mine = ModuleComment(iteration=iteration, module="goal", author=person, body="Why?")
    assert can(person, "contract.resolve_comment", mine) is (role != "anonymous")


def test_a_thread_whose_author_left_is_resolved_only_by_staff(make_person, city):
    iteration = submission(city)
    orphan = ModuleComment(iteration=iteration, module="goal", author=None, body="Why?")
    assert can(make_person("staff"), "contract.resolve_comment", orphan)
    assert not can(make_person("editor"), "contract.resolve_comment", orphan)
    assert not can(None, "contract.resolve_comment", orphan)
