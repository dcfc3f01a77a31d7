"""Discussions: threaded replies in Markdown rendered once and sanitised, mentions, who is told,
posting limits (429), spam rules and the honeypot, and bad input."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cityzero.community.models import Discussion, Notification, Post
from cityzero.community.selectors import thread
from cityzero.community.services import discussions
from cityzero.community.services.discussions import RateLimited
from tests.community.factories import add, discuss, make_group, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def group():
    return make_group("Heat planning", owner=person("Olga Owner"))


@pytest.fixture
def member(group):
    return add(group, person("Mia Member"))


def start(client, group, **data):
    return client.post(
        reverse("community:discussions", args=[group.slug]),
        {"title": "Heat", "body": "Hello", **data},
    )


def reply_url(discussion) -> str:
    return reverse("community:reply", args=[discussion.group.slug, discussion.pk])


# --- threads and Markdown ------------------------------------------------------------------------


def test_replies_are_shown_under_the_post_they_answer(group, member):
    opening_discussion = discuss(group, member, body="Opening")
    opening = opening_discussion.posts.get()
    first = discussions.reply(opening_discussion, body="First answer", parent=opening, by=member)
    second = discussions.reply(opening_discussion, body="Second answer", parent=opening, by=member)
    under_first = discussions.reply(
        opening_discussion, body="On the first", parent=first, by=member
    )
    order = [(entry.post.body, entry.depth) for entry in thread(opening_discussion)]
    assert order == [("Opening", 0), ("First answer", 1), ("On the first", 2), ("Second answer", 1)]
    discussion = Discussion.objects.get(pk=opening_discussion.pk)
    assert discussion.reply_count == 3 and discussion.last_post_at == under_first.created_at
    assert second.parent == opening


def test_deep_threads_stop_indenting_at_four(group, member, settings):
    settings.COMMUNITY_POSTS_PER_WINDOW = 10
    discussion = discuss(group, member, body="0")
    parent = discussion.posts.get()
    for n in range(1, 7):
        parent = discussions.reply(discussion, body=str(n), parent=parent, by=member)
    assert [entry.depth for entry in thread(discussion)] == [0, 1, 2, 3, 4, 4, 4]


def test_markdown_is_rendered_once_and_sanitised(group, member):
    body = "**Bold** <script>alert(1)</script> [link](javascript:alert(1)) <img src=x onerror=1>"
    post = discuss(group, member, body=body).posts.get()
    assert "<strong>Bold</strong>" in post.body_html
    assert "<script" not in post.body_html and "javascript:" not in post.body_html
    assert "<img" not in post.body_html and "onerror" not in post.body_html
    assert post.body == body  # the source is kept as written


# --- who is told ---------------------------------------------------------------------------------


def test_a_new_discussion_is_told_to_the_groups_members_but_its_author(group, member):
    other = add(group, person("Otto Other"))
    outsider = person("Nina Nonmember")
    discussion = discuss(group, member, title="Tender criteria")
    told = Notification.objects.filter(source=f"discussion:{discussion.posts.get().pk}")
    assert sorted(n.recipient.full_name for n in told) == ["Olga Owner", "Otto Other"]
    assert outsider not in [n.recipient for n in told] and member not in [n.recipient for n in told]
    note = told.get(recipient=other)
    assert (note.kind, note.delivery, note.group) == ("discussion", "digest", group)
    assert note.title == "New discussion in Heat planning: “Tender criteria”"


def test_a_reply_is_told_to_those_who_wrote_in_the_discussion(group, member):
    other = add(group, person("Otto Other"))
    discussion = discuss(group, member)
    discussions.reply(discussion, body="I think so", by=other)
    third = add(group, person("Tina Third"))
    post = discussions.reply(discussion, body="And I", by=third)
    told = Notification.objects.filter(source=f"reply:{post.pk}")
    assert sorted(n.recipient.full_name for n in told) == ["Mia Member", "Otto Other"]
    assert told.first().title == "Tina Third replied in “Heat pumps in old buildings”"


def test_someone_mentioned_is_told_once_as_mentioned(group, member):
    other = add(group, person("Otto Other"))
    discussion = discuss(group, member)
    discussions.reply(discussion, body="Yes", by=other)
    post = discussions.reply(discussion, body=f"Right, @{member.profile.handle}!", by=other)
    about_post = Notification.objects.filter(recipient=member, source__endswith=f":{post.pk}")
    assert [(n.source, n.kind) for n in about_post] == [(f"mention:{post.pk}", "mention")]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Hello @{h}", True),
        ("@{h}: look", True),
        ("(@{h})", True),
        ("HELLO @{H}", True),
        ("mail {h}@example.org", False),
        ("see example.org/@{h}", False),
        ("@{h}-x is someone else", False),
        ("@@{h}", False),
    ],
)
def test_a_mention_is_an_at_sign_and_a_whole_handle(group, member, text, named):
    author = add(group)
    handle = member.profile.handle
    mentioned = discussions.mentioned(text.format(h=handle, H=handle.upper()), group, author=author)
    assert (mentioned == [member]) is named


def test_mentioning_oneself_or_a_banned_member_tells_nobody(group, member):
    banned = add(group, person("Bo Banned"), status="banned")
    text = f"@{member.profile.handle} and @{banned.profile.handle}"
    assert discussions.mentioned(text, group, author=member) == []


# --- limits and spam -----------------------------------------------------------------------------


def test_the_sixth_post_in_a_minute_is_refused_with_a_429(client, group, member, settings):
    settings.COMMUNITY_POSTS_PER_WINDOW = 5
    client.force_login(member)
    discussion = discuss(group, member, body="post 1")
    for n in range(2, 6):
        assert client.post(reply_url(discussion), {"body": f"post {n}"}).status_code == 302
    response = client.post(reply_url(discussion), {"body": "post 6"})
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "Your message was not posted: wait" in response.content.decode()
    assert Post.objects.filter(author=member).count() == 5


def test_the_limit_is_a_setting(group, member, settings):
    settings.COMMUNITY_POSTS_PER_WINDOW = 1
    discussion = discuss(group, member, body="one")
    with pytest.raises(RateLimited) as refused:
        discussions.reply(discussion, body="two", by=member)
    assert 1 <= refused.value.wait <= 60


def test_posts_older_than_the_window_do_not_count(group, member, settings):
    settings.COMMUNITY_POSTS_PER_WINDOW = 1
    discussion = discuss(group, member, body="one")
    Post.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    discussions.reply(discussion, body="two", by=member)


def test_a_new_account_may_put_few_links_in_a_message(group):
    newcomer = add(group, person(days_old=2))
    three = "https://a.example https://b.example https://c.example"
    with pytest.raises(ValidationError, match="younger than 7 days may put up to 2 links"):
        discuss(group, newcomer, body=three)
    discuss(group, newcomer, body="https://a.example and https://b.example")
    veteran = add(group, person(days_old=30))
    discuss(group, veteran, title="Links", body=three)


def test_the_same_message_twice_is_refused(group, member):
    discussion = discuss(group, member, body="Buy cheap heat pumps")
    with pytest.raises(ValidationError, match="posted this very message already"):
        discussions.reply(discussion, body="buy  CHEAP heat pumps ", by=member)
    other = add(group)
    discussions.reply(discussion, body="Buy cheap heat pumps", by=other)  # someone else may


def test_a_filled_honeypot_posts_nothing(client, group, member):
    client.force_login(member)
    response = start(client, group, website="http://spam.example")
    assert response.status_code == 400
    assert "was not posted" in response.content.decode()
    assert not Discussion.objects.exists()


# --- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": ""}, "This field is required."),
        ({"body": "   "}, "This field is required."),
        ({"title": "x" * 201}, "at most 200 characters"),
        ({"body": "x" * 10_001}, "at most 10000 characters"),
    ],
)
def test_a_bad_discussion_is_refused_and_nothing_is_saved(client, group, member, data, message):
    client.force_login(member)
    response = start(client, group, **data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Discussion.objects.exists() and not Post.objects.exists()


def test_a_reply_to_a_post_of_another_discussion_is_refused(client, group, member):
    client.force_login(member)
    here = discuss(group, member, title="Here", body="a")
    there = discuss(group, member, title="There", body="b")
    response = client.post(reply_url(here), {"body": "c", "parent": there.posts.get().pk})
    assert response.status_code == 422
    assert "not in this discussion" in response.content.decode()
    assert here.posts.count() == 1


@pytest.mark.parametrize("parent", ["abc", "-1", "0", "1e9"])
def test_a_malformed_parent_is_refused(client, group, member, parent):
    client.force_login(member)
    discussion = discuss(group, member)
    assert client.post(reply_url(discussion), {"body": "c", "parent": parent}).status_code == 422
    assert discussion.posts.count() == 1


def test_a_discussion_of_another_group_is_not_found_here(client, group, member):
    other_group = make_group("Other")
    elsewhere = discuss(other_group, add(other_group))
    client.force_login(member)
    url = reverse("community:discussion", args=[group.slug, elsewhere.pk])
    assert client.get(url).status_code == 404
    assert (
        client.post(
            reverse("community:reply", args=[group.slug, elsewhere.pk]), {"body": "x"}
        ).status_code
        == 404
    )


def test_outsiders_of_a_public_group_read_but_do_not_post(client, group, member):
    discussion = discuss(group, member)
    client.force_login(person())
    assert (
        client.get(reverse("community:discussion", args=[group.slug, discussion.pk])).status_code
        == 200
    )
    assert client.post(reply_url(discussion), {"body": "me too"}).status_code == 403
    assert start(client, group).status_code == 403
    assert discussion.posts.count() == 1


def test_a_private_groups_discussions_are_for_its_members(client):
    group = make_group("Pilots", "private")
    discussion = discuss(group)
    client.force_login(person())
    assert client.get(reverse("community:discussions", args=[group.slug])).status_code == 403
    assert (
        client.get(reverse("community:discussion", args=[group.slug, discussion.pk])).status_code
        == 403
    )
