"""Contributing an entry and editing it: the form, its checks, and who may change what."""

import pytest
from django.urls import reverse

from cityzero.knowledge.models import MAX_BODY, Entry, EntryStatus
from cityzero.knowledge.selectors import Filters, search_entries
from tests.knowledge.factories import make_entry, taxonomy

pytestmark = pytest.mark.django_db

CONTRIBUTE = "/knowledge/contribute/"
TAG_CODES = ["energy", "buildings", "mobility", "waste", "green", "technology", "governance",
             "social_innovation", "democracy", "learning", "finance", "phase-act", "renewables"]  # fmt: skip


@pytest.fixture
def tags(db):
    return taxonomy()


@pytest.fixture
def member(make_person):
    return make_person("member")


def form_data(**changes) -> dict:
    data = {
        "title": "Heat pumps in social housing",
        "summary": "How a housing company replaced gas boilers in 2,000 flats.",
        "body": "## Steps\n\n1. Survey\n2. Tender",
        "kind": "case_study",
        "language": "en",
        "year": "2024",
        "organisation": "Example Housing",
        "licence": "CC BY 4.0",
        "tags": ["buildings", "renovation"],
        "links_text": "https://example.org/heat-pumps Final report\nhttps://example.org/data",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def edit_data(entry: Entry, **changes) -> dict:
    return form_data(**{"title": entry.title, "version": str(entry.version), **changes})


def test_contributing_needs_signing_in(client, tags):
    response = client.get(CONTRIBUTE)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_the_contribute_form_groups_the_tags_by_facet(client, tags, member):
    client.force_login(member)
    page = client.get(CONTRIBUTE).content.decode()
    assert "<legend>Field of action</legend>" in page and "<legend>Theme</legend>" in page
    assert 'name="tags" value="district-heating" id="tags-district-heating"' in page
    assert 'name="publish"' not in page  # only moderators publish at once


def test_a_member_contributes_an_entry_that_waits_for_moderation(client, tags, member, city):
    client.force_login(member)
    response = client.post(CONTRIBUTE, form_data(cities=[city.pk]), follow=True)
    entry = Entry.objects.get()
    assert response.redirect_chain == [(f"/knowledge/{entry.slug}/", 302)]
    assert "Your entry is waiting for moderation" in response.content.decode()
    assert entry.status == EntryStatus.PENDING and entry.contributor == member
    assert sorted(entry.tags.values_list("code", flat=True)) == ["buildings", "renovation"]
    assert list(entry.cities.all()) == [city]
    assert list(entry.links.values_list("url", "label")) == [
        ("https://example.org/heat-pumps", "Final report"), ("https://example.org/data", ""),
    ]  # fmt: skip
    assert "<h2>Steps</h2>" in entry.body_html
    assert search_entries(Filters(text="heat pumps")).total == 0  # not until it is approved


def test_a_member_cannot_publish_at_once(client, tags, member):
    client.force_login(member)
    client.post(CONTRIBUTE, form_data(publish="on"))
    assert Entry.objects.get().status == EntryStatus.PENDING


def test_staff_may_publish_their_contribution_at_once(client, tags, make_person,
                                                      settings_without_mfa):  # fmt: skip
    client.force_login(make_person("staff"))
    client.post(CONTRIBUTE, form_data(publish="on"))
    assert Entry.objects.get().status == EntryStatus.PUBLISHED
    assert search_entries(Filters(text="heat pumps")).total == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"body": "x" * (MAX_BODY + 1)}, "at most 50000 characters"),
        ({"title": ""}, "This field is required."),
        ({"tags": []}, "This field is required."),
        ({"tags": ["energy", "no-such-tag"]}, "no-such-tag is not one of the available choices"),
        ({"tags": TAG_CODES[:13]}, "Choose at most 12 tags."),
        ({"links_text": "javascript:alert(1)"}, "Line 1: “javascript:alert(1)” is not a web"),
        (
            {"links_text": "\n".join(f"https://example.org/{n}" for n in range(11))},
            "Give at most 10 links.",
        ),
        ({"year": "1850"}, "greater than or equal to 1990"),
        ({"kind": "poem"}, "Select a valid choice."),
    ],
)
def test_a_contribution_that_breaks_a_rule_is_refused_with_the_reason(
    client, tags, member, changes, message
):
    client.force_login(member)
    response = client.post(CONTRIBUTE, form_data(**changes))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert "The entry was not saved." in response.content.decode()
    assert not Entry.objects.exists()


def test_an_empty_post_is_refused_not_ignored(client, tags, member):
    client.force_login(member)
    response = client.post(CONTRIBUTE, {})
    assert response.status_code == 422 and not Entry.objects.exists()


def test_script_in_the_body_is_sanitised_and_in_the_summary_escaped(client, tags, member):
    client.force_login(member)
    client.post(CONTRIBUTE, form_data(summary="<script>alert(1)</script>Summary",
                                      body="Hi<script>alert(2)</script> <a href='javascript:x'>a</a>"))  # fmt: skip
    entry = Entry.objects.get()
    assert "<script>" not in entry.body_html and "javascript:" not in entry.body_html
    page = client.get(reverse("knowledge:entry", args=[entry.slug])).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Summary" in page


def test_an_entry_titled_like_a_page_gets_another_address(client, tags, member):
    client.force_login(member)
    client.post(CONTRIBUTE, form_data(title="Contribute"))
    assert Entry.objects.get().slug == "contribute-2"


# --- editing --------------------------------------------------------------------------------------


def test_the_contributor_edits_a_pending_entry_and_it_stays_in_the_queue(client, tags, member):
    entry = make_entry("Heat pumps", ("buildings",), status=EntryStatus.PENDING, contributor=member)
    client.force_login(member)
    url = reverse("knowledge:edit", args=[entry.slug])
    page = client.get(url).content.decode()
    assert f'name="version" value="{entry.version}"' in page
    response = client.post(url, edit_data(entry, summary="Better summary."))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.summary == "Better summary." and entry.status == EntryStatus.PENDING
    assert entry.version == 2


def test_editing_after_changes_were_requested_sends_the_entry_back(client, tags, member):
    entry = make_entry("Heat pumps", ("buildings",), contributor=member,
                       status=EntryStatus.CHANGES_REQUESTED)  # fmt: skip
    client.force_login(member)
    response = client.post(reverse("knowledge:edit", args=[entry.slug]),
                           edit_data(entry, summary="Sources named."), follow=True)  # fmt: skip
    assert "sent back to the moderators" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PENDING and entry.summary == "Sources named."


def test_the_edit_form_shows_the_moderators_request(client, tags, member):
    entry = make_entry("Heat pumps", ("buildings",), contributor=member,
                       status=EntryStatus.CHANGES_REQUESTED)  # fmt: skip
    client.force_login(member)
    page = client.get(reverse("knowledge:edit", args=[entry.slug])).content.decode()
    assert "The moderators asked for changes:" in page and "Please name the source." in page


@pytest.mark.parametrize(("status", "expected"), [(EntryStatus.PENDING, 404),
                                                  (EntryStatus.PUBLISHED, 403)])  # fmt: skip
def test_nobody_else_edits_a_members_entry(client, tags, member, make_person, status, expected):
    entry = make_entry("Heat pumps", ("buildings",), status=status, contributor=member)
    client.force_login(make_person("editor"))
    url = reverse("knowledge:edit", args=[entry.slug])
    assert client.get(url).status_code == expected
    assert client.post(url, edit_data(entry, summary="Vandalised.")).status_code == expected
    entry.refresh_from_db()
    assert entry.summary != "Vandalised."


def test_the_contributor_no_longer_edits_once_published(client, tags, member):
    entry = make_entry("Heat pumps", ("buildings",), contributor=member)
    client.force_login(member)
    response = client.post(reverse("knowledge:edit", args=[entry.slug]), edit_data(entry))
    assert response.status_code == 403
    assert "Only the platform staff change a published entry" in response.content.decode()


def test_staff_edit_a_published_entry_and_search_finds_the_new_words(
    client, tags, make_person, settings_without_mfa
):
    entry = make_entry("Heat pumps", ("buildings",))
    client.force_login(make_person("staff"))
    response = client.post(reverse("knowledge:edit", args=[entry.slug]),
                           edit_data(entry, title="Geothermal heat pumps"))  # fmt: skip
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PUBLISHED and entry.title == "Geothermal heat pumps"
    assert [e.pk for e in search_entries(Filters(text="geothermal")).entries] == [entry.pk]


def test_a_stale_edit_is_refused_with_a_conflict_and_can_be_saved_again(client, tags, member):
    entry = make_entry("Heat pumps", ("buildings",), status=EntryStatus.PENDING, contributor=member)
    loaded = edit_data(entry, summary="Mine.")
    client.force_login(member)
    url = reverse("knowledge:edit", args=[entry.slug])
    assert client.post(url, edit_data(entry, summary="Theirs.")).status_code == 302
    response = client.post(url, loaded)
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this entry while you were editing" in page
    assert 'name="version" value="2"' in page and "Mine." in page
    entry.refresh_from_db()
    assert entry.summary == "Theirs."
    assert client.post(url, {**loaded, "version": "2"}).status_code == 302
    entry.refresh_from_db()
    assert entry.summary == "Mine." and entry.version == 3


def test_a_damaged_version_field_is_refused(client, tags, member):
    entry = make_entry("Heat pumps", ("buildings",), status=EntryStatus.PENDING, contributor=member)
    client.force_login(member)
    response = client.post(reverse("knowledge:edit", args=[entry.slug]),
                           edit_data(entry, version="abc"))  # fmt: skip
    assert response.status_code == 422
    assert "This form was damaged or is out of date" in response.content.decode()
