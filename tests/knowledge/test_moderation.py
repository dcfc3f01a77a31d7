"""The moderation queue: staff approve, ask for changes or reject; the contributor is told."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from cityzero.community.models import Notification
from cityzero.knowledge.models import Entry, EntryStatus
from cityzero.knowledge.selectors import Filters, search_entries
from tests.knowledge.factories import make_entry, taxonomy
from tests.knowledge.test_contribute import CONTRIBUTE, edit_data, form_data

pytestmark = pytest.mark.django_db

QUEUE = "/knowledge/moderation/"


@pytest.fixture
def tags(db):
    return taxonomy()


@pytest.fixture
def member(make_person):
    return make_person("member")


@pytest.fixture
def staff(make_person, settings_without_mfa):
    return make_person("staff")


def decide(client, entry: Entry, decision: str, note: str = ""):
    return client.post(QUEUE, {"entry": entry.pk, "decision": decision, "note": note})


def test_the_queue_lists_pending_entries_longest_waiting_first(client, tags, member, staff):
    first = make_entry("First", status=EntryStatus.PENDING, contributor=member)
    second = make_entry("Second", status=EntryStatus.PENDING, contributor=member)
    Entry.objects.filter(pk=second.pk).update(created_at=first.created_at - timedelta(days=1))
    make_entry("Published")
    make_entry("Waiting for its contributor", status=EntryStatus.CHANGES_REQUESTED)
    client.force_login(staff)
    page = client.get(QUEUE).content.decode()
    titles = re.findall(r'<h2 id="entry-\d+-title"><a href="[^"]+">([^<]+)</a>', page)
    assert titles == ["Second", "First"]
    assert f"Contributed by {member.display_name} on" in page


@pytest.mark.parametrize("role", ["member", "editor", "advisor_of_city", "reviewer", "officer"])
def test_only_staff_open_the_queue(client, tags, make_person, role, settings_without_mfa):
    client.force_login(make_person(role))
    assert client.get(QUEUE).status_code == 403


def test_visitors_are_asked_to_sign_in(client, tags):
    response = client.get(QUEUE)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_approving_publishes_the_entry_and_tells_the_contributor(client, tags, member, staff,
                                                                 django_capture_on_commit_callbacks):  # fmt: skip
    entry = make_entry("Solar schools", status=EntryStatus.PENDING, contributor=member)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client, entry, "approve")
    assert response.status_code == 302 and response.url == QUEUE
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PUBLISHED and entry.published_at is not None
    told = Notification.objects.get(recipient=member)
    assert told.title == "Your entry “Solar schools” is published"
    assert told.url == f"/knowledge/{entry.slug}/"
    assert [message.to for message in mail.outbox] == [[member.email]]
    assert [e.pk for e in search_entries(Filters(text="solar")).entries] == [entry.pk]


def test_requesting_changes_needs_a_note(client, tags, member, staff):
    entry = make_entry("Solar schools", status=EntryStatus.PENDING, contributor=member)
    client.force_login(staff)
    response = decide(client, entry, "changes", note="   ")
    assert response.status_code == 422
    assert "Tell the contributor why" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PENDING and not Notification.objects.exists()


def test_rejecting_hides_the_entry_and_tells_the_contributor_why(client, tags, member, staff):
    entry = make_entry("Buy our product", status=EntryStatus.PENDING, contributor=member)
    client.force_login(staff)
    assert decide(client, entry, "reject", note="Advertising is not accepted.").status_code == 302
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REJECTED
    told = Notification.objects.get(recipient=member)
    assert told.title == "Your entry “Buy our product” was not accepted"
    assert told.body == "Advertising is not accepted."
    client.logout()
    assert client.get(reverse("knowledge:entry", args=[entry.slug])).status_code == 404


def test_an_entry_moderated_meanwhile_is_not_moderated_twice(client, tags, member, staff):
    entry = make_entry("Solar schools", status=EntryStatus.PENDING, contributor=member)
    client.force_login(staff)
    decide(client, entry, "approve")
    response = decide(client, entry, "reject", note="Changed my mind.")
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PUBLISHED
    assert Notification.objects.filter(recipient=member).count() == 1


def test_an_unknown_decision_is_refused(client, tags, member, staff):
    entry = make_entry("Solar schools", status=EntryStatus.PENDING, contributor=member)
    client.force_login(staff)
    assert decide(client, entry, "delete").status_code == 422
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PENDING


def test_from_contribution_through_changes_to_publication(client, tags, member, staff):
    """A member contributes, staff ask for changes, the member revises, staff approve."""
    client.force_login(member)
    client.post(CONTRIBUTE, form_data(title="Heat pumps in flats"))
    entry = Entry.objects.get()
    assert entry.status == EntryStatus.PENDING

    client.force_login(staff)
    assert "Heat pumps in flats" in client.get(QUEUE).content.decode()
    decide(client, entry, "changes", note="Name the housing company's source.")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.CHANGES_REQUESTED
    assert 'href="/knowledge/heat-pumps-in-flats/"' not in client.get(QUEUE).content.decode()

    client.force_login(member)
    notice = Notification.objects.get(recipient=member)
    assert notice.title == "Changes requested on your entry “Heat pumps in flats”"
    assert notice.body == "Name the housing company's source."
    page = client.get(notice.url).content.decode()
    assert "Name the housing company&#x27;s source." in page
    client.post(reverse("knowledge:edit", args=[entry.slug]),
                edit_data(entry, summary="Source: the company's annual report 2024."))  # fmt: skip
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PENDING

    client.force_login(staff)
    assert "Heat pumps in flats" in client.get(QUEUE).content.decode()
    decide(client, entry, "approve")
    client.logout()
    assert Notification.objects.filter(recipient=member).count() == 2
    found = client.get("/knowledge/", {"q": "heat pumps flats"}).content.decode()
    assert f'href="/knowledge/{entry.slug}/">Heat pumps in flats</a>' in found
