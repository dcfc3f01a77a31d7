"""Source documents: attaching the files behind an inventory's figures, and reading them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cityzero.inventories import services
from cityzero.inventories.models import SourceDocument
from tests.core.test_uploads import PDF_BYTES

pytestmark = pytest.mark.django_db
SOURCES = reverse("inventories:sources", args=["aachen", 2022])


@pytest.fixture
def inventory(city):
    return services.create_inventory(city, 2022, gwp_set="AR6", by=None, visibility="public")


def attach(client, title="Gas sales 2022", name="gas.pdf", data=PDF_BYTES):
    return client.post(
        SOURCES, {"action": "add", "title": title, "file": SimpleUploadedFile(name, data)}
    )


def stored_files(media_root):
    return sorted(p.name for p in media_root.rglob("*") if p.is_file())


def test_an_editor_attaches_a_document_that_readers_download(
    client, make_person, inventory, media_root
):
    client.force_login(make_person("editor"))
    assert attach(client, name="Stadtwerke Gas 2022.pdf").status_code == 302
    document = SourceDocument.objects.get()
    assert (document.title, document.filename, document.size) == (
        "Gas sales 2022",
        "Stadtwerke_Gas_2022.pdf",
        len(PDF_BYTES),
    )
    assert "Stadtwerke" not in document.file.name and document.file.name.endswith(".pdf")
    client.logout()
    page = client.get(reverse("inventories:detail", args=["aachen", 2022])).content.decode()
    download = reverse("inventories:source_document", args=["aachen", 2022, document.pk])
    assert download in page and "Gas sales 2022" in page
    response = client.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "title, name, data, message",
    [
        ("Sales", "sales.exe", b"MZ\x90\x00", "Files of this type are not accepted"),
        ("Sales", "sales.pdf", b"<script>alert(1)</script>", "not a .pdf file"),
        ("Sales", "sales.pdf", b"", "The submitted file is empty"),
        ("Sales", "sales.pdf", PDF_BYTES + b" " * (5 * 1024 * 1024), "the limit is 5 MB"),
        ("", "sales.pdf", PDF_BYTES, "This field is required"),
        ("x" * 201, "sales.pdf", PDF_BYTES, "at most 200 characters"),
    ],
)
def test_bad_documents_are_refused_and_nothing_is_stored(
    client, make_person, inventory, media_root, title, name, data, message
):
    client.force_login(make_person("editor"))
    response = attach(client, title=title, name=name, data=data)
    assert response.status_code == 422 and message in response.content.decode()
    assert not SourceDocument.objects.exists() and stored_files(media_root) == []


def test_a_missing_file_is_refused(client, make_person, inventory):
    client.force_login(make_person("editor"))
    response = client.post(SOURCES, {"action": "add", "title": "Sales"})
    assert response.status_code == 422 and "This field is required" in response.content.decode()


def test_removing_a_document_deletes_its_file(
    client, make_person, inventory, media_root, django_capture_on_commit_callbacks
):
    client.force_login(make_person("editor"))
    attach(client)
    document = SourceDocument.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SOURCES, {"action": "remove", "pk": document.pk})
    assert response.status_code == 302
    assert not SourceDocument.objects.exists() and stored_files(media_root) == []


def test_a_final_inventory_takes_no_more_documents(client, make_person, inventory):
    coordinator = make_person("coordinator")
    services.finalise_inventory(inventory, by=coordinator)
    client.force_login(coordinator)
    assert attach(client).status_code == 403
    assert not SourceDocument.objects.exists()


def test_the_number_of_documents_is_capped(client, make_person, inventory, monkeypatch):
    monkeypatch.setattr(services, "MAX_DOCUMENTS", 1)
    client.force_login(make_person("editor"))
    attach(client)
    response = attach(client, title="Second")
    assert response.status_code == 422 and "at most 1 source documents" in response.content.decode()
    assert SourceDocument.objects.count() == 1


@pytest.mark.parametrize(
    "role, status", [("anonymous", 404), ("member", 404), ("viewer", 200), ("staff", 200)]
)
def test_documents_of_a_team_inventory_stay_with_the_team(
    client, make_person, inventory, settings_without_mfa, role, status
):
    editor = make_person("editor")
    client.force_login(editor)
    attach(client)
    inventory.visibility = "team"
    inventory.save()
    client.logout()
    person = make_person(role)
    if person:
        client.force_login(person)
    document = SourceDocument.objects.get()
    url = reverse("inventories:source_document", args=["aachen", 2022, document.pk])
    assert client.get(url).status_code == status


def test_a_document_is_only_found_under_its_own_inventory(
    client, make_person, inventory, other_city
):
    client.force_login(make_person("editor"))
    attach(client)
    elsewhere = services.create_inventory(
        other_city, 2022, gwp_set="AR6", by=None, visibility="public"
    )
    document = SourceDocument.objects.get()
    assert elsewhere.documents.count() == 0
    url = reverse("inventories:source_document", args=["valencia", 2022, document.pk])
    assert client.get(url).status_code == 404
    other_editor = make_person("editor_of_other_city")
    client.force_login(other_editor)
    response = client.post(
        reverse("inventories:sources", args=["valencia", 2022]),
        {"action": "remove", "pk": document.pk},
    )
    assert response.status_code == 404 and SourceDocument.objects.count() == 1
