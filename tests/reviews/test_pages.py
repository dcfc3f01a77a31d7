"""The review pages driven through the client: the whole way from a draft to the label."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cityzero.accounts.models import PlatformRole
from cityzero.cities.models import MissionStatus
from cityzero.contracts import services as contract_services
from cityzero.contracts.models import Contract, IterationStatus, ModuleComment
from cityzero.reviews.models import Assignment, RubricScore, Transition
from cityzero.reviews.rubric import CRITERIA
from tests.contracts.conftest import complete
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("settings_without_mfa")]


def review_url(number: int = 1) -> str:
    return reverse("reviews:submission", args=["aachen", number])


def as_user(client, person):
    client.force_login(person)
    return client


def step(client, number: int, code: str, **data):
    fields = {f"{code}-{name}": value for name, value in data.items()}
    return client.post(review_url(number), {"action": "step", "step": code, **fields})


@pytest.fixture
def people(make_person):
    return {
        "editor": make_person("editor"),
        "staff": make_person("staff"),
        "officer": make_person("officer"),
        "advisor": make_person("advisor_elsewhere"),
        "reviewer": UserFactory(platform_role=PlatformRole.REVIEWER, full_name="Rita Reviewer"),
    }


def assign(client, staff, person, stage: str, number: int = 1):
    due = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    return as_user(client, staff).post(
        review_url(number),
        {"action": "assign", "reviewer": person.pk, "expertise": "thematic", "stage": stage,
         "module": "", "due_on": due},
    )  # fmt: skip


def test_from_draft_to_label_through_the_pages(client, iteration, people, city):
    complete(iteration)
    editor, staff = people["editor"], people["staff"]
    assert step(as_user(client, editor), 1, "submit").status_code == 302
    assert step(as_user(client, staff), 1, "open_feedback").status_code == 302
    assert assign(client, staff, people["advisor"], "feedback").status_code == 302
    # The advisor from elsewhere comments on an action and asks for changes.
    action = iteration.actions.get(name="District heating")
    response = as_user(client, people["advisor"]).post(
        reverse("contracts:module", args=["aachen", 1, "actions"]),
        {"action": "comment", "anchor": f"item:{action.key}", "body": "Show the heat sources."},
    )
    assert response.status_code == 302
    assert ModuleComment.objects.get().side == "reviewer"  # advising elsewhere, reviewing here
    page = as_user(client, editor).get(review_url())
    assert "Show the heat sources" not in page.content.decode()  # listed by where, not what
    assert "District heating" in page.content.decode()
    response = step(as_user(client, people["advisor"]), 1, "request_changes",
                    message="Name the heat sources.")  # fmt: skip
    assert response.status_code == 302
    # The city revises in iteration 2 and resubmits; the advisor is carried over.
    second = contract_services.start_next_iteration(Contract.objects.get(), by=editor)
    assert step(as_user(client, editor), 2, "submit").status_code == 302
    assert Assignment.objects.filter(iteration=second, reviewer=people["advisor"]).exists()
    page = as_user(client, people["advisor"]).get(review_url(2)).content.decode()
    assert "Comments on iteration 1" in page and "Show the heat sources." in page
    assert step(as_user(client, staff), 2, "open_feedback").status_code == 302
    assert step(as_user(client, staff), 2, "forward").status_code == 302
    assert assign(client, staff, people["reviewer"], "commission", 2).status_code == 302
    task = Assignment.objects.get(reviewer=people["reviewer"])
    scores = {f"{c.code}_score": "4" for c in CRITERIA} | {
        f"{c.code}_why": f"Because of {c.code}." for c in CRITERIA
    }
    url = reverse("reviews:scorecard", args=[task.pk])
    response = as_user(client, people["reviewer"]).post(
        url, {**scores, "recommendation": "endorse", "summary": "Solid.", "action": "submit"}
    )
    assert response.status_code == 302
    assert RubricScore.objects.filter(assignment=task).count() == 6
    response = step(as_user(client, people["officer"]), 2, "endorse",
                    round_name="Label ceremony, Brussels", round_date="2026-11-20",
                    round_event="Mission Cities Conference")  # fmt: skip
    assert response.status_code == 302
    second.refresh_from_db()
    city.refresh_from_db()
    assert second.status == IterationStatus.ENDORSED
    assert second.label_round.code == "2026-11"
    assert (city.mission_status, city.label_round) == (MissionStatus.LABELLED, second.label_round)
    assert list(Transition.objects.values_list("step", flat=True)) == [
        "submit", "open_feedback", "request_changes", "submit", "open_feedback", "forward",
        "endorse",
    ]  # fmt: skip


def test_a_refused_step_says_why_and_changes_nothing(client, iteration, people):
    response = step(as_user(client, people["editor"]), 1, "submit")
    assert response.status_code == 422
    assert "The submission checklist does not pass yet" in response.content.decode()
    assert iteration.transitions.count() == 0


def test_the_endorsement_needs_a_round(client, iteration, people):
    complete(iteration)
    for person, code in [("editor", "submit"), ("staff", "open_feedback"), ("staff", "forward")]:
        step(as_user(client, people[person]), 1, code)
    response = step(as_user(client, people["officer"]), 1, "endorse")
    assert response.status_code == 422
    assert "Choose the round" in response.content.decode()
    response = step(as_user(client, people["officer"]), 1, "endorse", round_name="Only a name")
    assert "A new round needs a name and a date." in response.content.decode()


@pytest.mark.parametrize(
    ("role", "code"),
    [("editor", "open_feedback"), ("staff", "submit"), ("staff", "endorse"),
     ("officer", "forward"), ("advisor_of_city", "request_changes")],
)  # fmt: skip
def test_steps_of_others_are_forbidden(client, iteration, people, make_person, role, code):
    complete(iteration)
    step(as_user(client, people["editor"]), 1, "submit")
    response = step(as_user(client, make_person(role)), 1, code, message="x")
    assert response.status_code == 403
    assert iteration.transitions.count() == 1


def test_unknown_step_is_not_found(client, iteration, people):
    assert step(as_user(client, people["staff"]), 1, "promote").status_code == 404


def test_the_review_page_needs_sign_in_and_a_reason_to_read_it(client, iteration, make_person):
    assert client.get(review_url()).status_code == 302
    assert as_user(client, make_person("member")).get(review_url()).status_code == 404
    assert as_user(client, make_person("viewer")).get(review_url()).status_code == 200


def test_conflict_of_interest_is_refused_on_the_page(client, iteration, people, make_person):
    complete(iteration)
    step(as_user(client, people["editor"]), 1, "submit")
    advisor = make_person("advisor_of_city")
    response = assign(client, people["staff"], advisor, "feedback")
    assert response.status_code == 422  # not even offered: the choice is refused
    assert not Assignment.objects.exists()


# Every page: session, user, the unread count; pages that ask permissions also read the roles
# (memberships, advised cities, and review tasks for advisors and reviewers).
PAGE_QUERIES = {
    # staff's roles (2), iteration, its parts (7), threads, transitions, tasks and their
    # scores, reviewers to offer.
    "submission": 18,
    "pipeline": 10,  # roles (2), counts, transitions, overdue, in review, workload
    "inbox": 4,  # the tasks with their progress
}


@pytest.mark.parametrize("tasks", [1, 4])
@pytest.mark.parametrize("page", sorted(PAGE_QUERIES))
def test_pages_read_a_fixed_number_of_queries(
    client, iteration, people, tasks, page, django_assert_num_queries
):
    complete(iteration)
    step(as_user(client, people["editor"]), 1, "submit")
    for module in ["", "goal", "actions", "indicators"][:tasks]:
        Assignment.objects.create(iteration=iteration, reviewer=people["reviewer"], module=module,
                                  stage="feedback", expertise="thematic",
                                  due_on=timezone.localdate())  # fmt: skip
    url = {"submission": review_url(), "pipeline": reverse("reviews:pipeline"),
           "inbox": reverse("reviews:inbox")}[page]  # fmt: skip
    as_user(client, people["reviewer" if page == "inbox" else "staff"]).get(url)
    with django_assert_num_queries(PAGE_QUERIES[page]):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("status", ["submitted", "feedback", "revisions", "endorsed", "withdrawn"])
def test_no_page_changes_a_submitted_iteration(client, iteration, bring, status, make_person):
    """Immutability through the views: every write of the contract pages is refused, even to staff."""
    bring(iteration, status)
    action = iteration.actions.get(name="District heating")
    version = iteration.version
    for role in ("editor", "coordinator", "staff"):
        as_user(client, make_person(role))
        writes = [
            (reverse("contracts:module", args=["aachen", 1, "outlook"]),
             {"action": "save", "module_version": "0", "fields-next_steps": "Changed"}),
            (reverse("contracts:module", args=["aachen", 1, "actions"]),
             {"action": "add", "part-name": "Late action", "part-status": "planned"}),
            (reverse("contracts:part", args=["aachen", 1, "actions", action.key]),
             {"action": "delete"}),
            (reverse("contracts:overview", args=["aachen", 1]),
             {"version": str(version), "target_share": "50", "target_year": "2030",
              "visibility": "public", "baseline": str(iteration.baseline_id)}),
        ]  # fmt: skip
        for url, data in writes:
            assert client.post(url, data).status_code == 403, (role, url)
    iteration.refresh_from_db()
    assert iteration.version == version
    assert iteration.actions.filter(pk=action.pk).exists()
    assert not iteration.actions.filter(name="Late action").exists()
    assert not iteration.modules.filter(module="outlook").exists()


def test_the_api_has_no_way_to_change_a_contract(client, iteration, make_person):
    as_user(client, make_person("editor"))
    url = "/api/v1/cities/aachen/contract/1"
    for method in (client.post, client.put, client.patch, client.delete):
        assert method(url, {}, content_type="application/json").status_code == 405
