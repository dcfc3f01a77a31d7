"""The state machine of a request: which step is possible from which status, and what it does."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cityzero.support import services, workflow
from cityzero.support.models import ExpertRequest, RequestStatus, Side
from tests.factories import UserFactory
from tests.support.factories import answered, ask, expert, routed

pytestmark = pytest.mark.django_db
S = RequestStatus

# Which steps each status allows: the table in workflow.py, read row by row.
ALLOWED = {
    S.SUBMITTED: {"route", "answer", "close"},
    S.ROUTED: {"route", "answer", "close"},
    S.ANSWERED: {"follow_up", "close"},
    S.REOPENED: {"route", "answer", "close"},
    S.CLOSED: set(),
}


@pytest.mark.parametrize("status", list(S))
def test_each_status_allows_exactly_its_steps(status):
    possible = {
        code for code, step in workflow.STEPS.items() if workflow.refusal(step, status) is None
    }
    assert possible == ALLOWED[status]


def test_a_refusal_says_what_is_possible_instead():
    reason = workflow.refusal(workflow.STEPS["follow_up"], S.ROUTED)
    assert reason == (
        "“Ask a follow-up question” is not possible while the request is “With an expert”; "
        "only when: Answered."
    )


def test_a_closed_request_says_to_ask_again():
    assert workflow.refusal(workflow.STEPS["answer"], S.CLOSED) == (
        "This request is closed. Ask a new question if you need more help."
    )


def test_a_request_goes_from_submitted_to_closed_and_every_step_is_recorded(city):
    request = ask(city)
    assert request.status == S.SUBMITTED
    person = expert()
    services.route_request(request, expert=person, by=UserFactory(platform_role="staff"))
    services.post_message(request, body="Here is how.", side=Side.EXPERT, answer=True, by=person)
    services.post_message(request, body="And for kindergartens?", side=Side.CITY,
                          by=request.requester)  # fmt: skip
    services.post_message(request, body="The same.", side=Side.EXPERT, answer=True, by=person)
    services.close_request(request, by=request.requester)
    request.refresh_from_db()
    assert request.status == S.CLOSED
    assert list(request.transitions.values_list("step", "source", "target")) == [
        ("file", "", S.SUBMITTED),
        ("route", S.SUBMITTED, S.ROUTED),
        ("answer", S.ROUTED, S.ANSWERED),
        ("follow_up", S.ANSWERED, S.REOPENED),
        ("answer", S.REOPENED, S.ANSWERED),
        ("close", S.ANSWERED, S.CLOSED),
    ]


def test_a_message_that_is_not_the_answer_leaves_the_status(city):
    request = routed(city)
    services.post_message(request, body="What is your budget?", side=Side.EXPERT, by=request.expert)
    services.post_message(request, body="€38 million.", side=Side.CITY, by=request.requester)
    request.refresh_from_db()
    assert request.status == S.ROUTED
    assert request.messages.filter(is_answer=True).count() == 0


def test_the_city_cannot_mark_its_own_message_as_the_answer(city):
    request = routed(city)
    with pytest.raises(ValidationError, match="Only the expert or the staff answer"):
        services.post_message(request, body="Solved.", side=Side.CITY, answer=True,
                              by=request.requester)  # fmt: skip
    assert not request.messages.exists()


def test_an_answered_request_is_not_answered_again(city):
    request = answered(city)
    with pytest.raises(ValidationError, match="is not possible while the request is “Answered”"):
        services.post_message(request, body="More.", side=Side.EXPERT, answer=True,
                              by=request.expert)  # fmt: skip


def test_a_closed_request_takes_no_message_and_no_route(city):
    request = ask(city)
    services.close_request(request, by=request.requester)
    with pytest.raises(ValidationError, match="This request is closed"):
        services.post_message(request, body="Hello?", side=Side.CITY, by=request.requester)
    with pytest.raises(ValidationError, match="This request is closed"):
        services.route_request(request, expert=expert(), by=UserFactory(platform_role="staff"))
    with pytest.raises(ValidationError, match="This request is closed"):
        services.close_request(request, by=request.requester)
    assert request.messages.count() == 0


def test_routing_again_hands_the_request_to_another_expert(city):
    request = routed(city)
    other = expert(full_name="Olga Other")
    services.route_request(request, expert=other, by=UserFactory(platform_role="staff"))
    request.refresh_from_db()
    assert request.expert == other and request.status == S.ROUTED


def test_routing_to_the_same_expert_twice_is_refused(city):
    request = routed(city)
    with pytest.raises(ValidationError, match=r"is with .* already"):
        services.route_request(request, expert=request.expert,
                               by=UserFactory(platform_role="staff"))  # fmt: skip


def test_an_answered_request_cannot_be_routed(city):
    request = answered(city)
    with pytest.raises(ValidationError, match="not possible while the request is “Answered”"):
        services.route_request(request, expert=expert(), by=UserFactory(platform_role="staff"))


# --- the response-time target ---------------------------------------------------------------------

BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.mark.parametrize(
    ("asked", "due"),
    [
        # Friday 14 March 2025, 10:00 → ten working days later: Friday 28 March.
        (datetime(2025, 3, 14, 10, 0, tzinfo=BRUSSELS), date(2025, 3, 28)),
        # 23:30 UTC on Sunday 16 March is already Monday 17 in Brussels → Monday 31 March.
        (datetime(2025, 3, 16, 23, 30, tzinfo=ZoneInfo("UTC")), date(2025, 3, 31)),
    ],
)
def test_the_due_date_is_ten_working_days_after_the_local_date(asked, due):
    assert services.due_date(asked) == due


def test_the_target_is_configurable(settings):
    settings.SUPPORT_RESPONSE_WORKING_DAYS = 3
    # Wednesday 19 March → Thursday, Friday, Monday.
    assert services.due_date(datetime(2025, 3, 19, 9, tzinfo=BRUSSELS)) == date(2025, 3, 24)


def test_a_filed_request_is_due_by_the_target(city):
    request = ask(city)
    assert request.due_on == services.due_date(request.submitted_at)
    assert request.working_days_left == 10
    assert not request.is_overdue


def test_a_request_waiting_past_its_due_date_is_overdue_but_not_on_the_day(city):
    request = ask(city)
    today = timezone.localdate()
    ExpertRequest.objects.filter(pk=request.pk).update(due_on=today)
    request.refresh_from_db()
    assert not request.is_overdue and request.working_days_left == 0
    ExpertRequest.objects.filter(pk=request.pk).update(due_on=today - timedelta(days=1))
    request.refresh_from_db()
    assert request.is_overdue


def test_an_answered_request_is_never_overdue(city):
    request = answered(city)
    ExpertRequest.objects.filter(pk=request.pk).update(due_on=date(2020, 1, 6))
    request.refresh_from_db()
    assert not request.is_overdue and request.working_days_overdue == 0


def test_a_follow_up_question_sets_a_new_due_date(city):
    request = answered(city)
    ExpertRequest.objects.filter(pk=request.pk).update(due_on=date(2020, 1, 6))
    services.post_message(request, body="One more thing.", side=Side.CITY, by=request.requester)
    request.refresh_from_db()
    assert request.status == S.REOPENED
    assert request.due_on == services.due_date(timezone.now())
