"""Every community page answers, for the people it is for, and shows what it is about."""

import pytest
from django.urls import reverse

from cityzero.community.models import GroupRole
from cityzero.community.services.events import register
from cityzero.community.services.files import share_file
from cityzero.community.services.moderation import report_content
from tests.community.factories import add, discuss, make_event, make_group, person, staff
from tests.knowledge.factories import pdf, taxonomy

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    taxonomy()
    owner = person("Olga Owner")
    group = make_group("Heat planning", owner=owner)
    member = add(group, person("Mia Member"))
    discussion = discuss(group, member, body="What about **district heat**?")
    event = make_event(group, by=owner)
    shared = share_file(group, upload=pdf("heat map.pdf"), by=member)
    post = discussion.posts.get()
    report_content(post, reason="spam", by=owner)
    return {
        "group": group,
        "owner": owner,
        "member": member,
        "discussion": discussion,
        "event": event,
        "file": shared,
        "post": post,
    }


def pages(world) -> list[tuple[str, str]]:
    slug = world["group"].slug
    return [
        (reverse("community:groups"), "Heat planning"),
        (reverse("community:group", args=[slug]), "started the discussion"),
        (reverse("community:members", args=[slug]), "Mia Member"),
        (reverse("community:discussions", args=[slug]), "Heat pumps in old buildings"),
        (
            reverse("community:discussion", args=[slug, world["discussion"].pk]),
            "<strong>district heat</strong>",
        ),
        (reverse("community:mentions", args=[slug]) + "?q=mi", "Find a member to mention"),
        (reverse("community:group_events", args=[slug]), "Heat planning workshop"),
        (reverse("community:event", args=[world["event"].pk]), "Europe/Brussels (UTC+02:00)"),
        (reverse("community:files", args=[slug]), "heat_map.pdf"),
        (reverse("community:events"), "Heat planning workshop"),
        (reverse("community:feed"), "Heat planning"),
        (reverse("community:topics"), "Topics you follow"),
        (reverse("community:people"), "People"),
        (reverse("community:my_profile"), "Your profile"),
        (reverse("community:notifications"), "Notifications"),
        (reverse("community:preferences"), "In the platform and in a daily email digest"),
        (reverse("community:report", args=["post", world["post"].pk]), "Report"),
    ]


def test_every_page_answers_a_member(client, world):
    client.force_login(world["member"])
    for url, text in pages(world):
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url


def test_the_moderation_pages_answer_the_owner(client, world):
    client.force_login(world["owner"])
    slug = world["group"].slug
    for url, text in [
        (reverse("community:moderation", args=[slug]), "Spam or advertising"),
        (reverse("community:moderate", args=["post", world["post"].pk]), "Remove for good"),
        (reverse("community:group_settings", args=[slug]), "Save the settings"),
        (reverse("community:group_event_new", args=[slug]), "Announce the event"),
        (reverse("community:event_edit", args=[world["event"].pk]), "Save the changes"),
        (
            reverse(
                "community:remove_member",
                args=[slug, world["group"].memberships.get(user=world["member"]).pk],
            ),
            "Ban from the group",
        ),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url


def test_the_staff_pages_answer_staff(client, settings_without_mfa):
    client.force_login(staff())
    for name in ("community:group_new", "community:event_new", "community:platform_moderation"):
        assert client.get(reverse(name)).status_code == 200, name


def test_an_anonymous_visitor_sees_the_directory_and_a_public_group(client, world):
    assert "Heat planning" in client.get(reverse("community:groups")).content.decode()
    page = client.get(reverse("community:group", args=[world["group"].slug])).content.decode()
    assert "Sign in to join the group" in page
    assert "started the discussion" not in page  # the content is for people signed in


def test_members_see_the_role_they_hold(client, world):
    moderator = add(world["group"], person("Mo Moderator"), role=GroupRole.MODERATOR)
    client.force_login(moderator)
    page = client.get(reverse("community:group", args=[world["group"].slug])).content.decode()
    assert "You are a moderator of this group." in page


def test_the_directory_cached_for_visitors_is_fresh_after_a_change(client):
    make_group("Heat planning")
    assert "Heat planning" in client.get(reverse("community:groups")).content.decode()
    make_group("Cycling")
    assert "Cycling" in client.get(reverse("community:groups")).content.decode()
    event = make_event(None, capacity=5)
    assert "0 of 5 places taken" in client.get(reverse("community:events")).content.decode()
    register(event, user=person())
    assert "1 of 5 places taken" in client.get(reverse("community:events")).content.decode()
