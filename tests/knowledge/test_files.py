"""Files attached to entries: checked by content, stored under random names, always downloaded."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cityzero.knowledge.forms import MAX_FILE_BYTES
from cityzero.knowledge.models import Entry, EntryFile, EntryStatus
from tests.core.test_uploads import PDF_BYTES, PNG_BYTES
from tests.knowledge.factories import make_entry, pdf, taxonomy
from tests.knowledge.test_contribute import CONTRIBUTE, edit_data, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def tags(db):
    return taxonomy()


@pytest.fixture
def member(make_person, client):
    person = make_person("member")
    client.force_login(person)
    return person


def upload(name: str, data: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def download(client, entry: Entry, attached: EntryFile):
    return client.get(reverse("knowledge:file", args=[entry.slug, attached.pk]))


def test_a_contribution_keeps_its_files_under_random_names(client, tags, member, media_root):
    files = [upload("../../etc/passwd report.pdf"), upload("meter.png", PNG_BYTES)]
    response = client.post(CONTRIBUTE, {**form_data(), "files": files})
    assert response.status_code == 302
    report, meter = EntryFile.objects.order_by("pk")
    assert (report.name, report.content_type, report.size) == (
        "passwd_report.pdf", "application/pdf", len(PDF_BYTES),
    )  # fmt: skip
    assert meter.content_type == "image/png"
    stored = Path(report.file.name)
    assert stored.parent == Path("knowledge") and stored.suffix == ".pdf"
    assert "passwd" not in stored.name and len(stored.stem) == 32
    assert (media_root / report.file.name).read_bytes() == PDF_BYTES


def test_a_file_is_always_downloaded_never_shown(client, tags):
    entry = make_entry("Heat", files=[pdf("heat plan.pdf")])
    response = download(client, entry, entry.files.get())
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="heat_plan.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_the_file_of_an_unpublished_entry_is_only_for_its_readers(client, tags, make_person):
    contributor = make_person("member")
    entry = make_entry("Heat", status=EntryStatus.PENDING, contributor=contributor, files=[pdf()])
    attached = entry.files.get()
    assert download(client, entry, attached).status_code == 404
    client.force_login(make_person("editor"))
    assert download(client, entry, attached).status_code == 404
    client.force_login(contributor)
    response = download(client, entry, attached)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"


def test_a_file_of_another_entry_is_not_found_through_this_one(client, tags):
    one = make_entry("One", files=[pdf()])
    other = make_entry("Other")
    assert download(client, other, one.files.get()).status_code == 404


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("tool.exe", b"MZ\x90\x00", "Files of this type are not accepted"),
        ("page.html", b"<html><script>alert(1)</script></html>", "not accepted"),
        ("report.pdf", b"<html><script>alert(1)</script></html>", "not a .pdf file"),
        ("photo.png", PDF_BYTES, "not a .png file"),
        ("empty.pdf", b"", "The submitted file is empty."),
    ],
)
def test_unsupported_or_disguised_files_are_refused(client, tags, member, name, data, message):
    response = client.post(CONTRIBUTE, {**form_data(), "files": [upload(name, data)]})
    assert response.status_code == 422
    page = response.content.decode()
    assert message in page and f"“{name}”" in page
    assert not Entry.objects.exists() and not EntryFile.objects.exists()


def test_a_file_over_10_mb_is_refused(client, tags, member):
    big = upload("big.pdf", PDF_BYTES + b" " * MAX_FILE_BYTES)
    response = client.post(CONTRIBUTE, {**form_data(), "files": [big]})
    assert response.status_code == 422
    assert "the limit is 10 MB" in response.content.decode()


def test_more_than_10_files_at_once_are_refused(client, tags, member):
    files = [upload(f"report {n}.pdf") for n in range(11)]
    response = client.post(CONTRIBUTE, {**form_data(), "files": files})
    assert response.status_code == 422
    assert "Choose at most 10 files at a time." in response.content.decode()
    assert not EntryFile.objects.exists()


def test_an_entry_never_holds_more_than_10_files(client, tags, member, media_root):
    entry = make_entry("Heat", status=EntryStatus.PENDING, contributor=member,
                       files=[pdf(f"{n}.pdf") for n in range(8)])  # fmt: skip
    url = reverse("knowledge:edit", args=[entry.slug])
    files = [upload(f"more {n}.pdf") for n in range(3)]
    response = client.post(url, {**edit_data(entry, tags=["energy"]), "files": files})
    assert response.status_code == 422
    assert "An entry can have at most 10 files; remove some first." in response.content.decode()
    assert entry.files.count() == 8
    assert len(list((media_root / "knowledge").iterdir())) == 8  # the refused ones are not kept


def test_removing_a_file_while_editing_deletes_it(
    client, tags, member, media_root, django_capture_on_commit_callbacks
):
    entry = make_entry("Heat", status=EntryStatus.PENDING, contributor=member,
                       files=[pdf("keep.pdf"), pdf("drop.pdf")])  # fmt: skip
    keep, drop = entry.files.order_by("pk")
    stored = media_root / drop.file.name
    url = reverse("knowledge:edit", args=[entry.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**edit_data(entry, tags=["energy"]), "remove_files": [drop.pk],
                                     "files": [upload("new.pdf")]})  # fmt: skip
    assert response.status_code == 302
    assert sorted(entry.files.values_list("name", flat=True)) == ["keep.pdf", "new.pdf"]
    assert not stored.exists() and (media_root / keep.file.name).exists()


def test_a_file_of_another_entry_cannot_be_removed_through_this_one(client, tags, member):
    other = make_entry("Other", files=[pdf()])
    entry = make_entry("Heat", status=EntryStatus.PENDING, contributor=member)
    url = reverse("knowledge:edit", args=[entry.slug])
    data = {**edit_data(entry, tags=["energy"]), "remove_files": [other.files.get().pk]}
    assert client.post(url, data).status_code == 422
    assert other.files.exists()


def test_deleting_an_entry_deletes_its_stored_files(tags, media_root,
                                                    django_capture_on_commit_callbacks):  # fmt: skip
    entry = make_entry("Heat", files=[pdf()])
    stored = media_root / entry.files.get().file.name
    with django_capture_on_commit_callbacks(execute=True):
        entry.delete()
    assert not stored.exists()
