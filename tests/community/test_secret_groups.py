"""A secret group is invisible to whoever is not in it, everywhere: the directory and its search,
every address under it (404, as for a group that does not exist), feeds, events, the API,
notifications and mentions. Its members see it all."""

import re

import pytest
from django.urls import reverse

from cityzero.community.models import Notification
from cityzero.community.services import discussions, groups
from cityzero.community.services.files import share_file
from tests.community.factories import add, discuss, make_event, make_group, person, staff
from tests.knowledge.factories import pdf

pytestmark = pytest.mark.django_db
NAME = "Mission Board preparation"


@pytest.fixture
def secret():
    owner = person("Olga Owner")
    group = make_group(NAME, "secret", owner=owner, summary="Drafts for the Board.")
    member = add(group, person("Mia Member"))
    discussion = discuss(group, member, title="Draft report to the Board", body="Confidential.")
    event = make_event(group, by=owner, title="Board rehearsal")
    shared = share_file(group, upload=pdf("board-draft.pdf"), by=member)
    return {
        "group": group,
        "owner": owner,
        "member": member,
        "discussion": discussion,
        "event": event,
        "file": shared,
        "post": discussion.posts.get(),
    }


@pytest.fixture
def outsider(client):
    user = person("Otto Outsider")
    client.force_login(user)
    return user


def addresses(secret) -> list[str]:
    slug = secret["group"].slug
    return [
        reverse("community:group", args=[slug]),
        reverse("community:members", args=[slug]),
        reverse("community:discussions", args=[slug]),
        reverse("community:discussion", args=[slug, secret["discussion"].pk]),
        reverse("community:mentions", args=[slug]) + "?q=m",
        reverse("community:group_events", args=[slug]),
        reverse("community:files", args=[slug]),
        reverse("community:file", args=[slug, secret["file"].pk]),
        reverse("community:moderation", args=[slug]),
        reverse("community:group_settings", args=[slug]),
        reverse("community:group_event_new", args=[slug]),
        reverse("community:event", args=[secret["event"].pk]),
        reverse("community:event_calendar", args=[secret["event"].pk]),
        reverse("community:report", args=["post", secret["post"].pk]),
        reverse("community:report", args=["event", secret["event"].pk]),
        reverse("community:report", args=["file", secret["file"].pk]),
        reverse("community:moderate", args=["post", secret["post"].pk]),
    ]


def posts(secret) -> list[tuple[str, dict]]:
    slug, pk = secret["group"].slug, secret["discussion"].pk
    return [
        (reverse("community:join", args=[slug]), {}),
        (reverse("community:ask_to_join", args=[slug]), {}),
        (reverse("community:leave", args=[slug]), {}),
        (reverse("community:invite", args=[slug]), {"email": "x@example.org"}),
        (reverse("community:reply", args=[slug, pk]), {"body": "Let me in"}),
        (reverse("community:discussions", args=[slug]), {"title": "t", "body": "b"}),
        (reverse("community:register", args=[secret["event"].pk]), {}),
    ]


def test_every_address_under_a_secret_group_is_404_to_an_outsider(client, secret, outsider):
    for url in addresses(secret):
        assert client.get(url).status_code == 404, url
    for url, data in posts(secret):
        assert client.post(url, data).status_code == 404, url
    assert secret["discussion"].posts.count() == 1
    assert not secret["event"].registrations.exists()


def test_a_secret_group_is_404_exactly_like_a_group_that_does_not_exist(client, secret, outsider):
    hidden = client.get(reverse("community:group", args=[secret["group"].slug]))
    missing = client.get(reverse("community:group", args=["no-such-group"]))
    assert hidden.status_code == missing.status_code == 404
    token = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub(b"", hidden.content) == token.sub(b"", missing.content)


def test_anonymous_visitors_learn_no_more_than_of_a_group_that_does_not_exist(client, secret):
    assert client.get(reverse("community:group", args=[secret["group"].slug])).status_code == 404
    slug = secret["group"].slug
    for url in addresses(secret)[1:]:
        response = client.get(url)
        same = client.get(url.replace(slug, "no-such-group"))
        assert response.status_code in (302, 404), url
        if response.status_code == 302:  # pages for people signed in send everyone to sign in
            assert response["Location"].startswith("/accounts/login/"), url
            assert same.status_code == 302 or "/groups/" not in url, url


def test_the_directory_and_its_search_do_not_show_it(client, secret, outsider):
    for query in ("", "?q=Board", "?q=mission", "?visibility=secret", "?kind=thematic"):
        page = client.get(reverse("community:groups") + query).content.decode()
        assert NAME not in page and "Drafts for the Board" not in page, query
    assert "0 groups" in client.get(reverse("community:groups") + "?q=Board").content.decode()


def test_its_members_find_it_in_the_directory(client, secret):
    client.force_login(secret["member"])
    page = client.get(reverse("community:groups") + "?q=Board").content.decode()
    assert NAME in page and "You are a member" in page


def test_someone_invited_sees_it_to_answer_the_invitation(client, secret):
    guest = person(email="gus@example.org")
    groups.invite(secret["group"], email="gus@example.org", by=secret["owner"])
    client.force_login(guest)
    page = client.get(reverse("community:group", args=[secret["group"].slug])).content.decode()
    assert "Accept the invitation" in page and "Confidential" not in page
    assert (
        client.get(reverse("community:discussions", args=[secret["group"].slug])).status_code == 403
    )


def test_staff_see_it(client, secret, settings_without_mfa):
    client.force_login(staff())
    assert NAME in client.get(reverse("community:groups")).content.decode()
    assert (
        client.get(reverse("community:discussions", args=[secret["group"].slug])).status_code == 200
    )


def test_feeds_and_event_lists_do_not_show_it(client, secret, outsider):
    make_event(None, title="Public webinar")
    for name in ("community:feed", "community:events"):
        page = client.get(reverse(name)).content.decode()
        assert "Board rehearsal" not in page and "Draft report" not in page, name
        assert NAME not in page, name
    assert "Public webinar" in client.get(reverse("community:events")).content.decode()


def test_the_api_does_not_show_it(client, secret, outsider):
    groups_out = client.get("/api/v1/groups").json()
    assert NAME not in [g["name"] for g in groups_out["items"]]
    assert client.get(f"/api/v1/groups/{secret['group'].slug}").status_code == 404
    events_out = client.get("/api/v1/events").json()
    assert "Board rehearsal" not in [e["title"] for e in events_out["items"]]
    client.logout()
    assert NAME not in str(client.get("/api/v1/groups").json())


def test_the_api_shows_it_to_its_members(client, secret):
    client.force_login(secret["member"])
    assert NAME in [g["name"] for g in client.get("/api/v1/groups").json()["items"]]
    assert client.get(f"/api/v1/groups/{secret['group'].slug}").status_code == 200


def test_a_mention_of_an_outsider_does_nothing_and_tells_nothing(secret):
    outsider_user = person("Otto Outsider")
    handle = groups.ensure_profile(outsider_user).handle
    discussions.reply(secret["discussion"], body=f"@{handle} should see this", by=secret["member"])
    assert not Notification.objects.filter(recipient=outsider_user).exists()


def test_a_mention_of_a_member_tells_them(secret):
    handle = secret["owner"].profile.handle
    post = discussions.reply(
        secret["discussion"], body=f"What do you think, @{handle}?", by=secret["member"]
    )
    note = Notification.objects.get(recipient=secret["owner"], source=f"mention:{post.pk}")
    assert note.title == "Mia Member mentioned you in “Draft report to the Board”"


def test_notifications_about_it_vanish_for_someone_who_is_no_longer_in_it(client, secret):
    member = secret["member"]
    discussions.reply(
        secret["discussion"], body=f"@{member.profile.handle} see this", by=secret["owner"]
    )
    client.force_login(member)
    assert (
        "Draft report to the Board"
        in client.get(reverse("community:notifications")).content.decode()
    )
    groups.remove_member(
        secret["group"].memberships.get(user=member),
        by=secret["owner"],
        reason="Left the team.",
        ban=True,
    )
    page = client.get(reverse("community:notifications")).content.decode()
    assert "Draft report to the Board" not in page and NAME not in page
    note = Notification.objects.get(recipient=member, group=secret["group"], kind="mention")
    assert client.post(reverse("community:open", args=[note.pk])).status_code == 404


def test_the_mention_list_offers_no_outsider_and_no_hidden_profile(client, secret):
    groups.ensure_profile(person("Mina Outsider"))
    client.force_login(secret["owner"])
    url = reverse("community:mentions", args=[secret["group"].slug])
    page = client.get(url + "?q=mi").content.decode()
    assert "Mina Outsider" not in page
    assert "Mia Member" not in page  # a member, but her profile is hidden
    profile = secret["member"].profile
    profile.visible = True
    profile.save()
    assert "Mia Member" in client.get(url + "?q=mi").content.decode()
