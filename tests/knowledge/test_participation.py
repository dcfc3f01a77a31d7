"""Comments and bookmarks on entries, and the page of one's bookmarks and contributions."""

import pytest
from django.urls import reverse

from cityzero.core.markdown import MAX_COMMENT
from cityzero.knowledge.models import Bookmark, EntryComment, EntryStatus
from tests.knowledge.factories import make_entry, taxonomy

pytestmark = pytest.mark.django_db


@pytest.fixture
def tags(db):
    return taxonomy()


@pytest.fixture
def entry(tags):
    return make_entry("District heating in Aarhus", ("energy", "district-heating"))


@pytest.fixture
def member(make_person, client):
    person = make_person("member")
    client.force_login(person)
    return person


def comment_on(client, entry, body):
    return client.post(reverse("knowledge:comment", args=[entry.slug]), {"body": body})


def test_a_signed_in_member_comments_in_markdown(client, entry, member):
    response = comment_on(client, entry, "Very **useful**, thanks.")
    assert response.status_code == 302
    assert response.url == f"/knowledge/{entry.slug}/#comments"
    page = client.get(response.url).content.decode()
    assert "Very <strong>useful</strong>, thanks." in page
    assert member.display_name in page


def test_script_in_a_comment_is_removed(client, entry, member):
    comment_on(client, entry, "<script>alert(1)</script>Nice <img src=x onerror=alert(2)>")
    html = EntryComment.objects.get().body_html
    assert "<script" not in html and "onerror" not in html
    page = client.get(reverse("knowledge:entry", args=[entry.slug])).content.decode()
    assert "<script>alert(1)" not in page


@pytest.mark.parametrize(("body", "message"), [
    ("   ", "This field is required."),
    ("x" * (MAX_COMMENT + 1), "at most 5000 characters"),
])  # fmt: skip
def test_an_empty_or_huge_comment_is_refused(client, entry, member, body, message):
    response = comment_on(client, entry, body)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not EntryComment.objects.exists()


def test_comments_wait_until_the_entry_is_published(client, tags, member):
    own = make_entry("Draft", status=EntryStatus.PENDING, contributor=member)
    response = comment_on(client, own, "First!")
    assert response.status_code == 422
    assert "Comments open once the entry is published." in response.content.decode()


def test_nobody_comments_on_an_entry_they_may_not_read(client, tags, member, make_person):
    draft = make_entry("Draft", status=EntryStatus.PENDING, contributor=make_person("member"))
    assert comment_on(client, draft, "Hello").status_code == 404


def test_visitors_are_asked_to_sign_in_to_comment(client, entry):
    response = comment_on(client, entry, "Hello")
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not EntryComment.objects.exists()


@pytest.mark.parametrize("name", ["comment", "bookmark"])
def test_post_only_addresses_refuse_a_get(client, entry, member, name):
    assert client.get(reverse(f"knowledge:{name}", args=[entry.slug])).status_code == 405


def test_bookmarking_twice_adds_and_removes_the_bookmark(client, entry, member):
    url = reverse("knowledge:bookmark", args=[entry.slug])
    response = client.post(url, follow=True)
    assert "Bookmarked." in response.content.decode()
    assert "Remove the bookmark" in response.content.decode()
    assert Bookmark.objects.filter(user=member, entry=entry).exists()
    client.post(url)
    assert not Bookmark.objects.exists()


def test_bookmarking_with_htmx_returns_the_button_only(client, entry, member):
    response = client.post(reverse("knowledge:bookmark", args=[entry.slug]),
                           headers={"HX-Request": "true"})  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page
    assert "Remove the bookmark" in page and 'role="status">Bookmarked.' in page


def test_a_bookmark_goes_back_only_to_this_site(client, entry, member):
    url = reverse("knowledge:bookmark", args=[entry.slug])
    assert client.post(url, {"next": "/knowledge/bookmarks/"}).url == "/knowledge/bookmarks/"
    assert client.post(url, {"next": "https://evil.example/"}).url == f"/knowledge/{entry.slug}/"


def test_the_bookmarks_page_lists_bookmarks_and_own_contributions(client, entry, member):
    client.post(reverse("knowledge:bookmark", args=[entry.slug]))
    make_entry("My draft", status=EntryStatus.PENDING, contributor=member)
    page = client.get("/knowledge/bookmarks/").content.decode()
    assert f'href="/knowledge/{entry.slug}/">District heating in Aarhus</a>' in page
    assert 'href="/knowledge/my-draft/">My draft</a></td><td>Waiting for moderation</td>' in page


def test_a_bookmark_of_an_entry_rejected_since_is_no_longer_listed(client, entry, member):
    client.post(reverse("knowledge:bookmark", args=[entry.slug]))
    entry.status = EntryStatus.REJECTED
    entry.save()
    assert entry.slug not in client.get("/knowledge/bookmarks/").content.decode()


def test_the_bookmarks_page_needs_signing_in(client, tags):
    response = client.get("/knowledge/bookmarks/")
    assert response.status_code == 302 and "/accounts/login/" in response.url
