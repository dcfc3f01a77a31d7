"""Who may ask, read, answer, route, close and publish expert requests."""

import pytest

from cityzero.accounts.models import PlatformRole
from cityzero.accounts.permissions import can
from cityzero.support.models import ExpertRequest
from tests.conftest import ROLE_NAMES
from tests.factories import UserFactory

SUPPORT_ACTIONS = (
    "support.ask",
    "support.list_city",
    "support.view",
    "support.reply",
    "support.answer",
    "support.close",
    "support.consent",
    "support.publish",
    "support.manage",
)
TEAM = {"viewer", "editor", "coordinator"}
# For a request of `city` routed to someone outside the matrix's roles.
EXPECTED = {
    "support.view": TEAM | {"staff"},
    "support.reply": TEAM | {"staff"},
    "support.answer": {"staff"},
    "support.close": TEAM | {"staff"},
    "support.consent": {"editor", "coordinator"},
    "support.publish": {"staff"},
}

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize(
    ("action", "allowed"),
    [("support.ask", TEAM), ("support.list_city", TEAM | {"staff"})],
)
def test_the_citys_team_asks_experts(make_person, city, role, action, allowed):
    assert can(make_person(role), action, city) is (role in allowed)


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_only_staff_manage_the_queue(make_person, role):
    assert can(make_person(role), "support.manage", None) is (role == "staff")


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_a_request_is_for_the_team_the_staff_and_its_expert_only(make_person, city, role, action):
    request = ExpertRequest(city=city, expert=UserFactory(platform_role=PlatformRole.REVIEWER))
    assert can(make_person(role), action, request) is (role in EXPECTED[action])


@pytest.mark.parametrize("role", [PlatformRole.REVIEWER, PlatformRole.ADVISOR])
def test_the_assigned_expert_reads_answers_and_publishes(city, role):
    person = UserFactory(platform_role=role)
    request = ExpertRequest(city=city, expert=person)
    allowed = {a for a in EXPECTED if can(person, a, request)}
    assert allowed == {"support.view", "support.reply", "support.answer", "support.publish"}


def test_an_expert_who_lost_the_role_loses_the_request(city):
    person = UserFactory(platform_role=PlatformRole.NONE)
    request = ExpertRequest(city=city, expert=person)
    assert not any(can(person, action, request) for action in EXPECTED)


def test_the_citys_advisor_does_not_see_its_requests(make_person, city):
    request = ExpertRequest(city=city, expert=None)
    assert can(make_person("advisor_of_city"), "support.view", request) is False
