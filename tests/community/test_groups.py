"""Joining, asking to join, invitations, roles, leaving, removing and banning; a group always
keeps an owner; every change to someone else's place is in the moderation log."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cityzero.community.models import (
    Group,
    GroupMembership,
    GroupRole,
    MembershipStatus,
    ModerationEntry,
    Notification,
)
from cityzero.community.services import groups
from tests.community.factories import add, make_group, person, staff

pytestmark = pytest.mark.django_db


def status(group, user) -> str | None:
    place = GroupMembership.objects.filter(group=group, user=user).first()
    return place.status if place else None


def place(group, user) -> GroupMembership:
    return GroupMembership.objects.get(group=group, user=user)


# --- opening groups ------------------------------------------------------------------------------


def test_staff_open_a_group_with_its_owner():
    owner = person("Olga Owner")
    group = groups.create_group(
        name="  Heat planning ",
        kind="thematic",
        visibility="private",
        summary="Heat.",
        description="*Warm*",
        owner=owner,
        by=staff(),
    )
    assert (group.name, group.slug, group.description_html) == (
        "Heat planning",
        "heat-planning",
        "<p><em>Warm</em></p>",
    )
    assert (place(group, owner).role, place(group, owner).status) == ("owner", "active")
    assert owner.profile.handle == "olga-owner"


def test_two_groups_of_the_same_name_get_their_own_address():
    assert make_group("Heat").slug == "heat"
    assert make_group("Heat").slug == "heat-2"
    assert make_group("New").slug == "new-2"  # /groups/new/ is the page to open a group


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": " "}, "Give the group a name."),
        ({"name": "x" * 121}, "Keep the name to 120 characters."),
        ({"kind": "party"}, "Choose the kind of group."),
        ({"visibility": "hidden"}, "Choose who may see the group."),
        ({"summary": ""}, "Say in a sentence what the group is for."),
        ({"description": "x" * 10_001}, "Keep the description to 10,000 characters."),
    ],
)
def test_a_group_with_bad_settings_is_refused_whole(fields, message):
    values = {
        "name": "Heat",
        "kind": "thematic",
        "visibility": "public",
        "summary": "Heat.",
        "description": "",
        **fields,
    }
    with pytest.raises(ValidationError, match=message):
        groups.create_group(**values, owner=person(), by=staff())
    assert not Group.objects.exists() and not GroupMembership.objects.exists()


# --- joining, asking, invitations ----------------------------------------------------------------


def test_anyone_joins_a_public_group_at_once():
    group, someone = make_group("Heat"), person()
    groups.join_group(group, user=someone)
    assert status(group, someone) == "active"
    with pytest.raises(ValidationError, match="a member of this group already"):
        groups.join_group(group, user=someone)


@pytest.mark.parametrize("visibility", ["private", "secret"])
def test_only_public_groups_are_joined_at_once(visibility):
    with pytest.raises(ValidationError, match="Only public groups"):
        groups.join_group(make_group("Board", visibility), user=person())


def test_a_request_to_join_a_private_group_is_told_to_its_keepers_and_approved():
    owner, moderator = person("Olga Owner"), person("Mo Moderator")
    group = make_group("Pilots", "private", owner=owner)
    add(group, moderator, role=GroupRole.MODERATOR)
    plain = add(group)
    asker = person("Ada Asker")
    request = groups.ask_to_join(group, user=asker, message="Aachen takes part.")
    told = Notification.objects.filter(source=f"group:{group.pk}:request:{request.pk}")
    assert sorted(n.recipient.full_name for n in told) == ["Mo Moderator", "Olga Owner"]
    assert plain not in [n.recipient for n in told]
    assert told.first().body == "Aachen takes part."
    groups.answer_request(request, approve=True, by=owner)
    assert status(group, asker) == "active"
    welcome = Notification.objects.get(recipient=asker)
    assert welcome.title == "Welcome to Pilots" and welcome.kind == "group"


def test_a_declined_request_leaves_no_place_and_tells_the_person():
    group = make_group("Pilots", "private")
    asker = person()
    request = groups.ask_to_join(group, user=asker)
    groups.answer_request(request, approve=False, by=staff())
    assert status(group, asker) is None
    assert Notification.objects.get(recipient=asker).title == (
        "Your request to join Pilots was declined"
    )
    with pytest.raises(ValidationError, match="answered already"):
        groups.answer_request(request, approve=True, by=staff())


@pytest.mark.parametrize("visibility", ["public", "secret"])
def test_only_private_groups_take_requests(visibility):
    with pytest.raises(ValidationError, match="Only private groups"):
        groups.ask_to_join(make_group("G", visibility), user=person())


def test_a_message_with_a_request_is_at_most_1000_characters():
    with pytest.raises(ValidationError, match="1,000 characters"):
        groups.ask_to_join(make_group("Pilots", "private"), user=person(), message="x" * 1001)


def test_an_invitation_is_accepted_into_a_secret_group():
    owner = person("Olga Owner")
    group = make_group("Board", "secret", owner=owner)
    guest = person("Gus Guest", email="gus@example.org")
    groups.invite(group, email="GUS@example.org ", by=owner, message="Join us")
    assert status(group, guest) == "invited"
    note = Notification.objects.get(recipient=guest)
    assert note.title == "Olga Owner invites you to the group Board" and note.group == group
    groups.answer_invitation(group, user=guest, accept=True)
    assert status(group, guest) == "active"


def test_a_declined_invitation_leaves_no_place():
    group = make_group("Board", "secret")
    guest = person(email="gus@example.org")
    groups.invite(group, email="gus@example.org", by=staff())
    groups.answer_invitation(group, user=guest, accept=False)
    assert status(group, guest) is None
    with pytest.raises(ValidationError, match="no invitation"):
        groups.answer_invitation(group, user=guest, accept=True)


def test_inviting_someone_who_asked_to_join_lets_them_in():
    group = make_group("Pilots", "private")
    asker = person(email="ada@example.org")
    groups.ask_to_join(group, user=asker)
    groups.invite(group, email="ada@example.org", by=staff())
    assert status(group, asker) == "active"


@pytest.mark.parametrize(
    ("existing", "message"),
    [
        ("active", "is a member already"),
        ("invited", "is invited already"),
        ("banned", "is banned from this group: lift the ban first"),
    ],
)
def test_invitations_are_refused_to_those_placed_already(existing, message):
    group = make_group("Board", "secret")
    user = person(email="gus@example.org")
    GroupMembership.objects.create(group=group, user=user, status=existing)
    with pytest.raises(ValidationError, match=message):
        groups.invite(group, email="gus@example.org", by=staff())


@pytest.mark.parametrize("email", ["nobody@example.org", "not an address", ""])
def test_only_people_with_an_active_account_are_invited(email):
    person(email="inactive@example.org", is_active=False)
    with pytest.raises(ValidationError, match="has an account on CityZero"):
        groups.invite(make_group("Board", "secret"), email=email, by=staff())
    with pytest.raises(ValidationError, match="has an account"):
        groups.invite(make_group("Board 2", "secret"), email="inactive@example.org", by=staff())


# --- leaving, roles, a group always keeps an owner -----------------------------------------------


def test_a_member_leaves():
    group = make_group("Heat")
    member = add(group)
    groups.leave_group(group, user=member)
    assert status(group, member) is None


def test_the_only_owner_cannot_leave_until_someone_else_owns_the_group():
    owner = person()
    group = make_group("Heat", owner=owner)
    with pytest.raises(ValidationError, match="only owner"):
        groups.leave_group(group, user=owner)
    other = add(group)
    groups.change_role(place(group, other), role="owner", by=owner)
    groups.leave_group(group, user=owner)
    assert list(group.memberships.filter(role="owner").values_list("user", flat=True)) == [other.pk]


def test_the_last_owner_cannot_be_demoted():
    owner = person()
    group = make_group("Heat", owner=owner)
    with pytest.raises(ValidationError, match="only owner"):
        groups.change_role(place(group, owner), role="member", by=staff())
    assert place(group, owner).role == "owner"


def test_a_role_change_is_logged_and_told():
    owner, member = person("Olga Owner"), person("Mia Member")
    group = make_group("Heat", owner=owner)
    add(group, member)
    groups.change_role(place(group, member), role="moderator", by=owner)
    entry = ModerationEntry.objects.get(group=group)
    assert (entry.actor, entry.action, entry.target_label, entry.reason) == (
        owner,
        "role",
        "Mia Member",
        "Member → Moderator",
    )
    assert Notification.objects.get(recipient=member).title == "You are now moderator of Heat"


def test_a_role_is_one_of_the_three():
    group = make_group("Heat")
    with pytest.raises(ValidationError, match="Choose owner, moderator or member"):
        groups.change_role(place(group, add(group)), role="king", by=staff())


# --- removing and banning ------------------------------------------------------------------------


def test_a_ban_keeps_the_person_out_until_lifted():
    owner = person()
    group = make_group("Heat", owner=owner)
    troll = add(group, person(email="troll@example.org"))
    groups.remove_member(place(group, troll), by=owner, reason="Insults.", ban=True)
    assert status(group, troll) == "banned"
    for attempt in (
        lambda: groups.join_group(group, user=troll),
        lambda: groups.invite(group, email="troll@example.org", by=owner),
    ):
        with pytest.raises(ValidationError):
            attempt()
    groups.lift_ban(place(group, troll), by=owner, reason="Apologised.")
    groups.join_group(group, user=troll)
    assert status(group, troll) == "active"
    log = list(
        ModerationEntry.objects.filter(group=group).order_by("pk").values_list("action", "reason")
    )
    assert log == [("ban", "Insults."), ("unban", "Apologised.")]


def test_a_banned_person_cannot_ask_to_join_a_private_group():
    group = make_group("Pilots", "private")
    asker = person()
    request = groups.ask_to_join(group, user=asker)
    groups.remove_member(request, by=staff(), reason="Spam requests.", ban=True)
    with pytest.raises(ValidationError, match="You may not join this group"):
        groups.ask_to_join(group, user=asker)


def test_removing_without_a_ban_lets_the_person_come_back():
    group = make_group("Heat")
    member = add(group)
    groups.remove_member(place(group, member), by=staff(), reason="Left the city.", ban=False)
    assert status(group, member) is None
    assert ModerationEntry.objects.get(group=group).action == "expel"
    groups.join_group(group, user=member)


def test_moderators_remove_plain_members_only():
    owner, moderator = person(), person()
    group = make_group("Heat", owner=owner)
    add(group, moderator, role=GroupRole.MODERATOR)
    other_moderator = add(group, role=GroupRole.MODERATOR)
    member = add(group)
    for target in (owner, other_moderator):
        with pytest.raises(ValidationError, match="Only the group's owners"):
            groups.remove_member(place(group, target), by=moderator, reason="x", ban=True)
    groups.remove_member(place(group, member), by=moderator, reason="Spam.", ban=True)
    assert status(group, member) == "banned"
    assert status(group, other_moderator) == "active"


def test_the_only_owner_is_never_removed():
    owner = person()
    group = make_group("Heat", owner=owner)
    with pytest.raises(ValidationError, match="only owner"):
        groups.remove_member(place(group, owner), by=staff(), reason="x", ban=True)


@pytest.mark.parametrize("reason", ["", "   ", "x" * 1001])
def test_a_ban_needs_a_reason_of_sensible_length(reason):
    group = make_group("Heat")
    member = add(group)
    with pytest.raises(ValidationError):
        groups.remove_member(place(group, member), by=staff(), reason=reason, ban=True)
    assert status(group, member) == "active" and not ModerationEntry.objects.exists()


# --- through the pages ---------------------------------------------------------------------------


def test_a_request_is_answered_from_the_members_page(client):
    owner = person()
    group = make_group("Pilots", "private", owner=owner)
    request = groups.ask_to_join(group, user=person("Ada Asker"))
    client.force_login(owner)
    members_page = client.get(reverse("community:members", args=[group.slug])).content.decode()
    assert "Ada Asker" in members_page and "Let in" in members_page
    url = reverse("community:answer_request", args=[group.slug, request.pk])
    response = client.post(url, {"answer": "approve"}, follow=True)
    assert "Ada Asker is a member now." in response.content.decode()
    assert GroupMembership.objects.get(pk=request.pk).status == MembershipStatus.ACTIVE


def test_a_member_of_another_group_cannot_be_acted_on_through_this_one(client):
    owner = person()
    group = make_group("Heat", owner=owner)
    elsewhere = make_group("Other")
    stranger_place = place(elsewhere, add(elsewhere))
    client.force_login(owner)
    url = reverse("community:remove_member", args=[group.slug, stranger_place.pk])
    assert client.post(url, {"reason": "x", "ban": "yes"}).status_code == 404
    assert GroupMembership.objects.get(pk=stranger_place.pk).status == "active"


def test_a_ban_without_a_reason_is_refused_on_the_page(client):
    owner = person()
    group = make_group("Heat", owner=owner)
    member_place = place(group, add(group))
    client.force_login(owner)
    url = reverse("community:remove_member", args=[group.slug, member_place.pk])
    response = client.post(url, {"reason": "", "ban": "yes"})
    assert response.status_code == 422
    assert "Nothing was saved" in response.content.decode()
    assert GroupMembership.objects.get(pk=member_place.pk).status == "active"


def test_the_invite_form_says_what_is_wrong(client):
    owner = person()
    group = make_group("Board", "secret", owner=owner)
    client.force_login(owner)
    response = client.post(
        reverse("community:invite", args=[group.slug]), {"email": "nobody@example.org"}
    )
    assert response.status_code == 422
    assert "Nobody with the address nobody@example.org" in response.content.decode()
