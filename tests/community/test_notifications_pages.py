"""The notifications page: your own notifications only, reading them, and following their link."""

import pytest
from django.urls import reverse

from cityzero.community.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("community:notifications")
MARK_READ = reverse("community:mark_read")
BADGE = '<span class="badge badge-count">{}<span class="visually-hidden"> unread</span></span>'


def note(recipient, title: str, url: str = "/cities/aachen/contract/1/review/", **fields):
    return Notification.objects.create(
        recipient=recipient, source=f"test:{title}", title=title, url=url, **fields
    )


def open_url(notification: Notification) -> str:
    return reverse("community:open", args=[notification.pk])


@pytest.fixture
def me(client):
    person = UserFactory()
    client.force_login(person)
    return person


@pytest.fixture
def someone_else(db):
    return UserFactory()


def unread(person) -> list[str]:
    return sorted(
        Notification.objects.filter(recipient=person, read_at__isnull=True).values_list(
            "title", flat=True
        )
    )


def test_the_list_needs_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={LIST}"


@pytest.mark.parametrize("url", [MARK_READ, "/notifications/1/open/"])
def test_the_post_endpoints_need_sign_in(client, url):
    response = client.post(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_list_shows_only_your_own_notifications(client, me, someone_else):
    note(me, "Aachen, contract iteration 1: Submitted", body="Eva: Submit to the platform.")
    note(someone_else, "Valencia, contract iteration 2: Endorsed")
    page = client.get(LIST).content.decode()
    assert "Aachen, contract iteration 1: Submitted" in page
    assert "Eva: Submit to the platform." in page
    assert "Valencia" not in page


def test_an_empty_list_says_what_will_appear(client, me, someone_else):
    note(someone_else, "Valencia, contract iteration 2: Endorsed")
    page = client.get(LIST).content.decode()
    assert "Nothing yet." in page and "Mark all as read" not in page


def test_marking_all_read_marks_only_your_own(client, me, someone_else):
    note(me, "First")
    note(me, "Second")
    note(someone_else, "Theirs")
    response = client.post(MARK_READ)
    assert response.status_code == 302 and response["Location"] == LIST
    assert unread(me) == [] and unread(someone_else) == ["Theirs"]


def test_opening_one_marks_it_read_and_follows_its_link(client, me):
    opened = note(me, "Opened", url="/cities/aachen/contract/1/review/")
    note(me, "Other")
    response = client.post(open_url(opened))
    assert response.status_code == 302
    assert response["Location"] == "/cities/aachen/contract/1/review/"
    assert unread(me) == ["Other"]


def test_opening_someone_elses_notification_is_not_found(client, me, someone_else):
    theirs = note(someone_else, "Theirs")
    assert client.post(open_url(theirs)).status_code == 404
    assert unread(someone_else) == ["Theirs"]


def test_opening_a_notification_that_does_not_exist_is_not_found(client, me):
    assert client.post("/notifications/999999/open/").status_code == 404


@pytest.mark.parametrize(
    "url", ["https://evil.example/login", "//evil.example/login", "javascript:alert(1)", ""]
)
def test_an_off_site_or_missing_link_leads_back_to_the_list(client, me, url):
    notification = note(me, "Odd link", url=url)
    response = client.post(open_url(notification))
    assert response.status_code == 302 and response["Location"] == LIST
    assert unread(me) == []


@pytest.mark.parametrize("url", [MARK_READ, "/notifications/{pk}/open/"])
def test_the_post_only_endpoints_refuse_get(client, me, url):
    notification = note(me, "Unread")
    response = client.get(url.format(pk=notification.pk))
    assert response.status_code == 405
    assert unread(me) == ["Unread"]


def test_the_header_shows_the_unread_count(client, me, someone_else):
    note(me, "First")
    note(me, "Second")
    note(me, "Read", read_at="2026-01-01T10:00:00Z")
    note(someone_else, "Theirs")
    page = client.get(LIST).content.decode()
    assert BADGE.format(2) in page
    client.post(open_url(Notification.objects.get(title="First")))
    assert BADGE.format(1) in client.get(LIST).content.decode()
    client.post(MARK_READ)
    assert 'class="badge badge-count"' not in client.get("/").content.decode()


def test_the_header_shows_no_count_to_anonymous_visitors(client, someone_else):
    note(someone_else, "Theirs")
    page = client.get("/").content.decode()
    assert 'class="badge badge-count"' not in page and ">Notifications<" not in page


def test_the_list_is_paged_thirty_at_a_time_newest_first(client, me):
    for n in range(31):
        note(me, f"Event {n:02}")
    first = client.get(LIST).content.decode()
    second = client.get(LIST, {"page": 2}).content.decode()
    assert first.count("Event ") == 30 and "Event 30" in first and "Event 00" not in first
    assert "Event 00" in second and "Page 2 of 2" in second


@pytest.mark.parametrize("count", [1, 3])
def test_the_list_reads_a_fixed_number_of_queries(client, me, count, django_assert_num_queries):
    for n in range(count):
        note(me, f"Event {n}")
    client.get(LIST)
    # session, user, the count for the paginator, the page, the unread count in the header
    with django_assert_num_queries(5):
        assert client.get(LIST).status_code == 200
