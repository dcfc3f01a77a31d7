"""Staff curate the taxonomy, entries and collections in the admin without breaking search."""

import pytest
from django.urls import reverse

from cityzero.community.models import Notification
from cityzero.knowledge.models import Collection, Entry, EntryStatus, Tag
from cityzero.knowledge.selectors import Filters, search_entries
from tests.knowledge.factories import make_entry, taxonomy

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, make_person, settings_without_mfa):
    taxonomy()
    client.force_login(make_person("staff"))
    return client


def entry_form(entry: Entry | None = None, **changes) -> dict:
    data = {
        "title": "Geothermal heat in Munich", "slug": "geothermal-heat-in-munich",
        "summary": "Deep wells feed the heat network.", "body": "Hot water from **3 km** down.",
        "kind": "case_study", "language": "en", "year": "2024", "organisation": "", "licence": "",
        "tags": [Tag.objects.get(code="district-heating").pk],
        "links-TOTAL_FORMS": "0", "links-INITIAL_FORMS": "0",
        "files-TOTAL_FORMS": "0", "files-INITIAL_FORMS": "0",
    }  # fmt: skip
    if entry is not None:
        data.update(title=entry.title, slug=entry.slug, summary=entry.summary, body=entry.body)
    data.update(changes)
    return data


def test_an_entry_added_in_the_admin_is_rendered_indexed_and_waits(staff_client):
    response = staff_client.post(reverse("admin:knowledge_entry_add"), entry_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = Entry.objects.get()
    assert entry.title_key == "geothermal heat in munich"
    assert entry.body_html == "<p>Hot water from <strong>3 km</strong> down.</p>"
    assert entry.status == EntryStatus.PENDING
    entry.status = EntryStatus.PUBLISHED
    entry.save()
    assert [e.pk for e in search_entries(Filters(text="geothermal wells")).entries] == [entry.pk]


def test_changing_an_entry_in_the_admin_re_renders_re_indexes_and_bumps_the_version(staff_client):
    entry = make_entry("Heat pumps", ("buildings",), body="Old.")
    url = reverse("admin:knowledge_entry_change", args=[entry.pk])
    response = staff_client.post(url, entry_form(entry, title="Ground-source heat pumps",
                                                 body="*New*"))  # fmt: skip
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (
        entry.title_key == "ground source heat pumps" and entry.body_html == "<p><em>New</em></p>"
    )
    assert entry.version == 2 and entry.status == EntryStatus.PUBLISHED
    assert search_entries(Filters(text="ground-source")).total == 1
    assert search_entries(Filters(text="old")).total == 0


def test_an_entry_cannot_take_the_address_of_a_page(staff_client):
    response = staff_client.post(reverse("admin:knowledge_entry_add"),
                                 entry_form(slug="moderation"))  # fmt: skip
    assert response.status_code == 200
    assert "is the address of a page" in response.content.decode()
    assert not Entry.objects.exists()


def test_approving_in_the_admin_tells_the_contributor(staff_client, make_person):
    member = make_person("member")
    entry = make_entry("Solar schools", status=EntryStatus.PENDING, contributor=member)
    response = staff_client.post(reverse("admin:knowledge_entry_changelist"),
                                 {"action": "approve", "_selected_action": [entry.pk]})  # fmt: skip
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PUBLISHED
    assert Notification.objects.filter(recipient=member).count() == 1


def test_staff_rename_a_tag_and_the_search_page_shows_it(staff_client, client):
    make_entry("Heat", ("district-heating",))
    tag = Tag.objects.get(code="district-heating")
    data = {"code": tag.code, "facet": tag.facet, "name": "Heat networks", "description": "",
            "position": "3"}  # fmt: skip
    response = staff_client.post(reverse("admin:knowledge_tag_change", args=[tag.pk]), data)
    assert response.status_code == 302
    assert "Heat networks" in staff_client.get("/knowledge/").content.decode()


def test_a_collection_is_curated_with_its_entries_in_order(staff_client):
    first, second = make_entry("First"), make_entry("Second")
    data = {"title": "Quick Reads", "slug": "quick-reads", "description": "Short.",
            "position": "0", "items-TOTAL_FORMS": "2", "items-INITIAL_FORMS": "0",
            "items-0-entry": second.pk, "items-0-position": "1",
            "items-1-entry": first.pk, "items-1-position": "2"}  # fmt: skip
    response = staff_client.post(reverse("admin:knowledge_collection_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    collection = Collection.objects.get()
    page = staff_client.get(f"/knowledge/collections/{collection.slug}/").content.decode()
    assert page.index(">Second</a>") < page.index(">First</a>")
