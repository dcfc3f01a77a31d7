"""GET /api/v1/cities/{slug}/contract/submission: where a city's contract stands in the review."""

import pytest

from cityzero.accounts.tokens import create_token
from cityzero.contracts import services as contracts
from cityzero.contracts.modules import BY_CODE
from cityzero.reviews import services
from tests.conftest import ROLE_NAMES
from tests.reviews.conftest import assign, in_days

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("settings_without_mfa")]

URL = "/api/v1/cities/aachen/contract/submission"
# Who follows the review of Aachen's submitted contract (contract.read_comments) …
READERS = {"viewer", "editor", "coordinator", "advisor_of_city", "officer", "staff"}
# … and who of them also reads the reviews, reviewers' names included (review.read).
NAME_READERS = {"officer", "staff"}


@pytest.fixture
def in_feedback(iteration, bring, reviewer, staff, editor):
    """Iteration 1 in platform feedback, one reviewer assigned, three comment threads of which
    one awaits the city: the others are answered by the city or resolved."""
    bring(iteration, "feedback")
    assign(iteration, reviewer, stage="feedback", by=staff)
    goal = BY_CODE["goal"]
    contracts.add_comment(iteration, module=goal, body="Which council?", by=reviewer,
                          side="reviewer")  # fmt: skip
    answered = contracts.add_comment(iteration, module=goal, body="Date?", by=reviewer,
                                     side="reviewer")  # fmt: skip
    contracts.add_comment(iteration, module=goal, body="4 May.", by=editor, side="city",
                          parent=answered)  # fmt: skip
    resolved = contracts.add_comment(iteration, module=goal, body="Typo.", by=staff, side="staff")
    contracts.resolve_thread(resolved, by=staff)
    return iteration


def get(client, person, url: str = URL):
    if person is not None:
        client.force_login(person)
    return client.get(url)


def test_city_team_sees_status_history_deadlines_and_comments_to_answer(
    client, in_feedback, editor, staff
):
    body = get(client, editor).json()
    (first,) = body["iterations"]
    assert body["city"] == "aachen"
    assert {key: first[key] for key in ("number", "status", "label_round", "url")} == {
        "number": 1,
        "status": {"code": "feedback", "label": "Platform feedback"},
        "label_round": None,
        "url": "/cities/aachen/contract/1/review/",
    }
    assert [(t["step"], t["source"], t["target"], t["actor"], t["message"])
            for t in first["transitions"]] == [
        ("submit", "draft", "submitted", editor.display_name, "Because."),
        ("open_feedback", "submitted", "feedback", staff.display_name, "Because."),
    ]  # fmt: skip
    assert first["deadlines"] == [
        {"stage": "feedback", "module": "", "expertise": "thematic",
         "due_on": in_days(21).isoformat(), "submitted": False, "reviewer": None},
    ]  # fmt: skip
    assert first["threads_awaiting_city"] == 1


def test_transitions_carry_their_time(client, in_feedback, editor):
    (first,) = get(client, editor).json()["iterations"]
    assert all(t["at"][:4].isdigit() and "T" in t["at"] for t in first["transitions"])


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_only_those_who_follow_the_review_may_read_it(client, in_feedback, make_person, role):
    response = get(client, make_person(role))
    if role == "anonymous":
        assert response.status_code == 401
    elif role in READERS:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert response.json() == {
            "detail": "You may not follow the review of this city's contract."
        }


@pytest.mark.parametrize("role", sorted(READERS))
def test_reviewers_names_go_only_to_those_who_read_the_reviews(
    client, in_feedback, make_person, role
):
    (first,) = get(client, make_person(role)).json()["iterations"]
    expected = "Rita Reviewer" if role in NAME_READERS else None
    assert [d["reviewer"] for d in first["deadlines"]] == [expected]


def test_assigned_reviewer_reads_the_iteration_with_names(client, in_feedback, reviewer):
    (first,) = get(client, reviewer).json()["iterations"]
    assert first["number"] == 1 and first["deadlines"][0]["reviewer"] == "Rita Reviewer"


def test_reviewer_reads_only_the_iterations_assigned_to_them(
    client, in_feedback, make_person, staff, editor
):
    # Iteration 1 goes back to the city; iteration 2 is reviewed by someone else.
    in_feedback.status = "revisions"
    in_feedback.save(update_fields=["status"])
    second = contracts.start_next_iteration(in_feedback.contract, by=editor)
    newcomer = make_person("reviewer")
    services.take_step(second, "submit", by=editor)
    services.take_step(second, "open_feedback", by=staff)
    assign(second, newcomer, stage="feedback", by=staff)
    body = get(client, newcomer).json()
    assert [i["number"] for i in body["iterations"]] == [2]


def test_officers_do_not_read_drafts(client, iteration, make_person, editor):
    assert get(client, make_person("officer")).status_code == 403
    (draft,) = get(client, editor).json()["iterations"]
    assert draft["status"] == {"code": "draft", "label": "Draft"} and draft["transitions"] == []


def test_endorsed_iteration_names_its_label_round(client, iteration, bring, editor):
    bring(iteration, "endorsed")
    (first,) = get(client, editor).json()["iterations"]
    assert first["status"]["code"] == "endorsed" and first["label_round"] == "2024-03"
    assert [t["step"] for t in first["transitions"]] == [
        "submit", "open_feedback", "forward", "endorse",
    ]  # fmt: skip


def test_iterations_come_newest_first(client, in_feedback, editor):
    contracts.start_next_iteration(in_feedback.contract, by=editor)
    body = get(client, editor).json()
    assert [(i["number"], i["status"]["code"]) for i in body["iterations"]] == [
        (2, "draft"),
        (1, "feedback"),
    ]


def test_unknown_city_is_not_found(client, make_person):
    response = get(client, make_person("staff"), "/api/v1/cities/atlantis/contract/submission")
    assert response.status_code == 404
    assert response.json() == {"detail": "No city with this slug."}


def test_city_without_contract_is_not_found(client, city, make_person):
    response = get(client, make_person("staff"))
    assert response.status_code == 404
    assert response.json() == {"detail": "This city has no contract on the platform."}


def test_anonymous_clients_must_sign_in_even_for_unknown_cities(client, db):
    assert client.get("/api/v1/cities/atlantis/contract/submission").status_code == 401


def test_a_personal_api_token_works_too(client, in_feedback, editor):
    token = create_token(editor, name="Dashboard")
    response = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200 and response.json()["iterations"][0]["number"] == 1


def test_a_wrong_token_is_refused(client, in_feedback):
    assert client.get(URL, HTTP_AUTHORIZATION="Bearer cz_wrong").status_code == 401


def test_the_numbered_contract_endpoint_still_answers(client, in_feedback, editor):
    client.force_login(editor)
    assert client.get("/api/v1/cities/aachen/contract/1").json()["iteration"] == 1


@pytest.mark.parametrize("iterations", [1, 3])
def test_query_count_does_not_grow_with_iterations(
    client, in_feedback, editor, django_assert_num_queries, iterations
):
    for _ in range(iterations - 1):
        in_feedback.contract.iterations.filter(status="draft").update(status="withdrawn")
        contracts.start_next_iteration(in_feedback.contract, by=editor)
    client.force_login(editor)
    # session, user, memberships, advised cities, city and contract, iterations,
    # transitions, assignments, comments
    with django_assert_num_queries(9):
        body = client.get(URL).json()
    assert len(body["iterations"]) == iterations


def test_openapi_schema_documents_the_endpoint(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/cities/{slug}/contract/submission" in paths
