"""The curators' import and export page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cityzero.knowledge.models import Entry, Tag
from cityzero.knowledge.services import load_tags, save_entry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("settings_without_mfa")]

HEADER = b"slug,title,summary,body,kind,language,year,organisation,licence,tags,cities,links\n"


@pytest.fixture
def staff(client, make_person):
    load_tags()
    client.force_login(make_person("staff"))
    return client


def test_staff_export_csv_and_json_as_attachments(staff):
    save_entry(Entry(title="Solar", summary="S", kind="guide"), tags=[Tag.objects.first()],
               by=None, publish=True)  # fmt: skip
    for fmt, kind in (("csv", "text/csv"), ("json", "application/json")):
        response = staff.get(reverse("knowledge:export", args=[fmt]))
        assert response["Content-Type"].startswith(kind)
        assert response["Content-Disposition"] == f'attachment; filename="knowledge-entries.{fmt}"'
        assert b"Solar" in response.content
    assert staff.get(reverse("knowledge:export", args=["xml"])).status_code == 404


def test_an_import_with_errors_lists_them_and_saves_nothing(staff):
    data = HEADER + b",Fine,S,,guide,en,,,,energy,,\n,,S,,guide,en,,,,nope,,\n"
    response = staff.post(reverse("knowledge:curate"),
                          {"file": SimpleUploadedFile("e.csv", data)})  # fmt: skip
    assert response.status_code == 422
    text = response.content.decode()
    assert "Row 3, title: required" in text and "Row 3, tags: unknown tags: nope" in text
    assert not Entry.objects.exists()


def test_a_good_import_publishes_the_entries(staff):
    data = HEADER + b",District heating,How to,,guide,en,2024,,,energy;district-heating,,\n"
    response = staff.post(reverse("knowledge:curate"),
                          {"file": SimpleUploadedFile("e.csv", data)})  # fmt: skip
    assert response.status_code == 302
    entry = Entry.objects.get()
    assert (entry.status, sorted(t.code for t in entry.tags.all())) == (
        "published", ["district-heating", "energy"])  # fmt: skip


def test_no_file_is_a_form_error(staff):
    assert staff.post(reverse("knowledge:curate"), {}).status_code == 422


@pytest.mark.parametrize("role", ["anonymous", "member", "editor", "advisor_of_city", "officer"])
def test_only_staff_curate(client, make_person, role):
    person = make_person(role)
    if person:
        client.force_login(person)
    for url in (reverse("knowledge:curate"), reverse("knowledge:export", args=["csv"])):
        response = client.get(url)
        assert response.status_code == (302 if person is None else 403)
