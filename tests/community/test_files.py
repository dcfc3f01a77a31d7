"""Files shared in a group: checked on the way in, kept under a random name, downloaded only by
whoever may read the group through a checked view, never from a public address."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cityzero.community.models import SharedFile
from cityzero.community.services.files import share_file
from cityzero.community.services.moderation import moderate
from tests.community.factories import add, make_group, person
from tests.core.test_uploads import PDF_BYTES
from tests.knowledge.factories import pdf

pytestmark = pytest.mark.django_db


def upload(client, group, name="heat plan.pdf", content=PDF_BYTES, **data):
    return client.post(
        reverse("community:files", args=[group.slug]),
        {"file": SimpleUploadedFile(name, content), **data},
    )


def test_a_member_shares_a_file_kept_under_a_random_name(client, media_root):
    group = make_group("Pilots", "private")
    member = add(group)
    client.force_login(member)
    assert upload(client, group, description="Our plan").status_code == 302
    shared = SharedFile.objects.get()
    assert (shared.name, shared.description, shared.uploaded_by) == (
        "heat_plan.pdf",
        "Our plan",
        member,
    )
    assert shared.file.name.startswith("community/") and "heat" not in shared.file.name
    assert (media_root / shared.file.name).read_bytes() == PDF_BYTES


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.exe", b"MZ\x90\x00", "Files of this type are not accepted."),
        ("plan.pdf", b"<html>not a pdf</html>", "is not a .pdf file"),
        ("empty.pdf", b"", "The submitted file is empty."),
        ("notes.txt", b"\x00\x01binary", "is not a .txt file"),
    ],
)
def test_a_bad_file_is_refused_and_nothing_is_kept(client, media_root, name, content, message):
    group = make_group("Heat")
    client.force_login(add(group))
    response = upload(client, group, name=name, content=content)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not SharedFile.objects.exists()


def test_a_file_over_10_mb_is_refused(client):
    group = make_group("Heat")
    client.force_login(add(group))
    big = PDF_BYTES + b"0" * (10 * 2**20)
    response = upload(client, group, content=big)
    assert response.status_code == 422
    assert "the limit is 10 MB" in response.content.decode()


def test_members_download_it_and_it_is_never_cached(client):
    group = make_group("Pilots", "private")
    member = add(group)
    shared = share_file(group, upload=pdf("plan.pdf"), by=member)
    client.force_login(member)
    response = client.get(reverse("community:file", args=[group.slug, shared.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Disposition"] == 'attachment; filename="plan.pdf"'
    assert response["Cache-Control"] == "private, no-store"


def test_outsiders_of_a_private_group_get_no_file(client):
    group = make_group("Pilots", "private")
    shared = share_file(group, upload=pdf(), by=add(group))
    client.force_login(person())
    assert client.get(reverse("community:file", args=[group.slug, shared.pk])).status_code == 403
    client.logout()
    response = client.get(reverse("community:file", args=[group.slug, shared.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_media_address_of_a_file_is_not_served(client):
    group = make_group("Pilots", "private")
    shared = share_file(group, upload=pdf(), by=add(group))
    assert client.get("/media/" + shared.file.name).status_code == 404


def test_a_file_of_another_group_is_not_found_through_this_one(client):
    group, other = make_group("Heat"), make_group("Other", "private")
    shared = share_file(other, upload=pdf(), by=add(other))
    client.force_login(add(group))
    assert client.get(reverse("community:file", args=[group.slug, shared.pk])).status_code == 404


def test_a_hidden_file_is_for_the_moderators_and_a_removed_one_is_gone(
    client, media_root, django_capture_on_commit_callbacks
):
    owner = person()
    group = make_group("Heat", owner=owner)
    member = add(group)
    shared = share_file(group, upload=pdf(), by=member)
    url = reverse("community:file", args=[group.slug, shared.pk])
    moderate(shared, action="hide", reason="Personal data in it.", by=owner)
    client.force_login(member)
    assert client.get(url).status_code == 404
    client.force_login(owner)
    assert client.get(url).status_code == 200
    stored = media_root / shared.file.name
    with django_capture_on_commit_callbacks(execute=True):
        moderate(shared, action="remove", reason="Personal data in it.", by=owner)
    assert not SharedFile.objects.exists()
    assert client.get(url).status_code == 404
    assert not stored.exists()


def test_outsiders_of_a_public_group_may_download_but_not_share(client):
    group = make_group("Heat")
    shared = share_file(group, upload=pdf(), by=add(group))
    client.force_login(person())
    assert client.get(reverse("community:file", args=[group.slug, shared.pk])).status_code == 200
    assert upload(client, group).status_code == 403
    assert SharedFile.objects.count() == 1
