"""Who may know of, read, join and look after a group, its content, events and people's profiles:
every place one can hold in a group × every visibility, against a table written out by hand."""

import pytest

from cityzero.accounts.permissions import can
from cityzero.community.models import (
    ContentStatus,
    Discussion,
    Event,
    GroupMembership,
    GroupRole,
    MembershipStatus,
    Post,
    Profile,
    SharedFile,
)
from tests.community.factories import make_group, person, staff

COMMUNITY_ACTIONS = (
    "group.create",
    "group.view",
    "group.read",
    "group.join",
    "group.ask_to_join",
    "group.answer_invitation",
    "group.leave",
    "group.post",
    "group.share_file",
    "group.moderate",
    "group.manage",
    "event.create",
    "event.view",
    "event.register",
    "event.manage",
    "content.view",
    "content.report",
    "content.moderate",
    "profile.view",
    "people.browse",
)

PLACES = [
    "anonymous",
    "outsider",
    "invited",
    "requested",
    "banned",
    "member",
    "moderator",
    "owner",
    "staff",
]
IN = {"member", "moderator", "owner"}
KEEPERS = {"moderator", "owner", "staff"}
SIGNED_IN = set(PLACES) - {"anonymous"}
VISIBILITIES = ("public", "private", "secret")


def everywhere(places) -> dict[str, frozenset[str]]:
    return dict.fromkeys(VISIBILITIES, frozenset(places))


# action → visibility → the places allowed
EXPECTED = {
    "group.view": {
        "public": set(PLACES),
        "private": set(PLACES),
        "secret": IN | {"invited", "staff"},
    },
    "group.read": {
        "public": SIGNED_IN - {"banned"},
        "private": IN | {"staff"},
        "secret": IN | {"staff"},
    },
    # Staff hold no place in a group unless they take one: they join like anyone.
    "group.join": {"public": {"outsider", "staff"}, "private": set(), "secret": set()},
    "group.ask_to_join": {"public": set(), "private": {"outsider", "staff"}, "secret": set()},
    "group.answer_invitation": everywhere({"invited"}),
    "group.leave": everywhere(IN),
    "group.post": everywhere(IN | {"staff"}),
    "group.share_file": everywhere(IN | {"staff"}),
    "group.moderate": everywhere(KEEPERS),
    "group.manage": everywhere({"owner", "staff"}),
    "event.create": everywhere(KEEPERS),
}

pytestmark = pytest.mark.django_db


def placed(group, place: str):
    """Someone holding ``place`` in the group; None for anonymous."""
    if place == "anonymous":
        return None
    if place == "staff":
        return staff()
    user = person()
    statuses = {"invited": "invited", "requested": "requested", "banned": "banned"}
    if place in statuses:
        GroupMembership.objects.create(group=group, user=user, status=statuses[place])
    elif place in IN:
        GroupMembership.objects.create(
            group=group, user=user, status=MembershipStatus.ACTIVE, role=GroupRole(place)
        )
    return user


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("visibility", ["public", "private", "secret"])
@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_group_actions_follow_the_place_and_the_visibility(action, visibility, place):
    group = make_group("Heat", visibility)
    assert can(placed(group, place), action, group) is (place in EXPECTED[action][visibility])


@pytest.mark.parametrize("place", PLACES)
def test_only_staff_open_groups_and_platform_events(place):
    group = make_group("Heat")
    user = placed(group, place)
    assert can(user, "group.create", None) is (place == "staff")
    assert can(user, "event.create", None) is (place == "staff")
    assert can(user, "group.moderate", None) is (place == "staff")


def contents(group):
    discussion = Discussion(group=group, title="T")
    return [
        Post(discussion=discussion, body="x"),
        Event(group=group, title="E"),
        SharedFile(group=group, name="f.pdf"),
    ]


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("visibility", ["public", "private", "secret"])
def test_content_follows_its_group(visibility, place):
    group = make_group("Heat", visibility)
    user = placed(group, place)
    readers = EXPECTED["group.read"][visibility]
    for content in contents(group):
        assert can(user, "content.view", content) is (place in readers)
        assert can(user, "content.report", content) is (place in readers)
        assert can(user, "content.moderate", content) is (place in KEEPERS)
    event = contents(group)[1]
    assert can(user, "event.view", event) is (place in readers)
    assert can(user, "event.register", event) is (place in readers)
    assert can(user, "event.manage", event) is (place in KEEPERS)


@pytest.mark.parametrize("place", PLACES)
def test_hidden_content_is_left_for_the_moderators(place):
    group = make_group("Heat")
    user = placed(group, place)
    for content in contents(group):
        content.status = ContentStatus.HIDDEN
        assert can(user, "content.view", content) is (place in KEEPERS)


@pytest.mark.parametrize("place", PLACES)
def test_a_platform_event_is_everyones_and_the_staffs_to_manage(place):
    user = placed(make_group("Heat"), place)
    event = Event(group=None, title="Webinar")
    assert can(user, "event.view", event) is True
    assert can(user, "event.register", event) is (place != "anonymous")
    assert can(user, "event.manage", event) is (place == "staff")


def test_a_profile_is_seen_once_shown_and_always_by_its_owner():
    owner, other = person(), person()
    hidden = Profile(user=owner, handle="owner", visible=False)
    shown = Profile(user=owner, handle="owner", visible=True)
    assert can(owner, "profile.view", hidden) is True
    assert [can(other, "profile.view", hidden), can(None, "profile.view", hidden)] == [False, False]
    assert [can(other, "profile.view", shown), can(None, "profile.view", shown)] == [True, False]
    assert can(staff(), "profile.view", hidden) is False  # not even staff


def test_the_people_directory_is_for_people_signed_in():
    assert can(person(), "people.browse", None) is True
    assert can(None, "people.browse", None) is False


def test_an_inactive_member_has_no_rights():
    group = make_group("Heat", "secret")
    user = placed(group, "owner")
    user.is_active = False
    assert not any(can(user, action, group) for action in EXPECTED)
