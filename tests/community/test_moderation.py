"""Reports, hiding, restoring and removing content, dismissing reports, and the moderation log:
who, what, when and why, seen by the group's moderators and the staff only."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cityzero.community.models import (
    Discussion,
    GroupRole,
    ModerationEntry,
    Notification,
    Post,
    Report,
)
from cityzero.community.services.moderation import dismiss_report, moderate, report_content
from tests.community.factories import add, discuss, make_event, make_group, person, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    owner, moderator = person("Olga Owner"), person("Mo Moderator")
    group = make_group("Heat", owner=owner)
    add(group, moderator, role=GroupRole.MODERATOR)
    author, reader = add(group, person("Al Author")), add(group, person("Rita Reader"))
    discussion = discuss(group, author, title="Cheap pumps", body="Buy now at example.biz")
    return {
        "group": group,
        "owner": owner,
        "moderator": moderator,
        "author": author,
        "reader": reader,
        "discussion": discussion,
        "post": discussion.posts.get(),
    }


def test_a_report_is_told_to_the_groups_moderators(scene):
    report = report_content(scene["post"], reason="spam", note="An advert.", by=scene["reader"])
    assert (report.group, report.target_label) == (
        scene["group"],
        "Al Author’s post in “Cheap pumps”",
    )
    told = Notification.objects.filter(source=f"flag:{report.pk}")
    assert sorted(n.recipient.full_name for n in told) == ["Mo Moderator", "Olga Owner"]
    note = told.first()
    assert (note.kind, note.title, note.body) == (
        "moderation",
        "Reported: Al Author’s post in “Cheap pumps”",
        "Spam or advertising. An advert.",
    )


def test_one_open_report_per_person_and_content(scene):
    report_content(scene["post"], reason="spam", by=scene["reader"])
    with pytest.raises(ValidationError, match="reported this already"):
        report_content(scene["post"], reason="abuse", by=scene["reader"])
    report_content(scene["post"], reason="abuse", by=scene["owner"])  # someone else may
    assert Report.objects.count() == 2


@pytest.mark.parametrize(
    ("reason", "note", "message"),
    [
        ("rude", "", "Choose why"),
        ("other", "", "Say what is wrong"),
        ("spam", "x" * 1001, "1,000 characters"),
    ],
)
def test_a_bad_report_is_refused(scene, reason, note, message):
    with pytest.raises(ValidationError, match=message):
        report_content(scene["post"], reason=reason, note=note, by=scene["reader"])
    assert not Report.objects.exists()


def test_a_report_on_a_platform_event_goes_to_the_staff():
    staff_member = staff(full_name="Sam Staff")
    event = make_event(by=staff_member)
    report = report_content(event, reason="off_topic", by=person())
    assert report.group is None
    assert [n.recipient for n in Notification.objects.filter(source=f"flag:{report.pk}")] == [
        staff_member
    ]


def test_hiding_an_opening_post_hides_the_discussion_and_settles_its_reports(scene):
    report_content(scene["post"], reason="spam", by=scene["reader"])
    entry = moderate(scene["post"], action="hide", reason="Advertising.", by=scene["moderator"])
    assert Post.objects.get(pk=scene["post"].pk).status == "hidden"
    assert Discussion.objects.get(pk=scene["discussion"].pk).status == "hidden"
    report = Report.objects.get()
    assert (report.resolved_by, report.resolved_at is not None) == (scene["moderator"], True)
    assert (entry.actor, entry.action, entry.target_kind, entry.reason, entry.group) == (
        scene["moderator"],
        "hide",
        "post",
        "Advertising.",
        scene["group"],
    )
    moderate(scene["post"], action="restore", reason="It was a real offer.", by=scene["owner"])
    assert Discussion.objects.get(pk=scene["discussion"].pk).status == "visible"


def test_removing_a_post_deletes_its_text_for_good(scene):
    moderate(scene["post"], action="remove", reason="Spam.", by=scene["owner"])
    post = Post.objects.get(pk=scene["post"].pk)
    assert (post.status, post.body, post.body_html) == ("removed", "", "")
    with pytest.raises(ValidationError, match="cannot be restored"):
        moderate(post, action="restore", reason="Oops.", by=scene["owner"])


def test_a_moderation_needs_a_known_action_and_a_reason(scene):
    with pytest.raises(ValidationError, match="Say why"):
        moderate(scene["post"], action="hide", reason=" ", by=scene["owner"])
    with pytest.raises(ValidationError, match="hide, restore or remove"):
        moderate(scene["post"], action="burn", reason="x", by=scene["owner"])
    assert not ModerationEntry.objects.exists()


def test_dismissing_a_report_is_logged(scene):
    report = report_content(scene["post"], reason="spam", by=scene["reader"])
    dismiss_report(report, reason="A fair offer.", by=scene["owner"])
    entry = ModerationEntry.objects.get()
    assert (entry.action, entry.target_label, entry.reason) == (
        "dismiss",
        "Al Author’s post in “Cheap pumps”",
        "A fair offer.",
    )
    with pytest.raises(ValidationError, match="dealt with already"):
        dismiss_report(report, reason="again", by=scene["owner"])


def test_hidden_content_is_hidden_from_members_and_shown_to_moderators(client, scene):
    moderate(scene["post"], action="hide", reason="Advertising.", by=scene["owner"])
    url = reverse("community:discussion", args=[scene["group"].slug, scene["discussion"].pk])
    client.force_login(scene["reader"])
    assert client.get(url).status_code == 404
    assert (
        "Cheap pumps"
        not in client.get(
            reverse("community:discussions", args=[scene["group"].slug])
        ).content.decode()
    )
    client.force_login(scene["moderator"])
    page = client.get(url).content.decode()
    assert "Hidden by a moderator; only moderators see it" in page and "example.biz" in page


def test_a_hidden_reply_leaves_its_place_in_the_thread(client, scene):
    from cityzero.community.services.discussions import reply

    answer = reply(scene["discussion"], body="Rude words", by=scene["reader"])
    moderate(answer, action="hide", reason="Rude.", by=scene["owner"])
    client.force_login(scene["author"])
    page = client.get(
        reverse("community:discussion", args=[scene["group"].slug, scene["discussion"].pk])
    ).content.decode()
    assert "Rude words" not in page and "Hidden by a moderator." in page


def test_the_log_is_for_the_moderators_and_the_staff(client, scene, settings_without_mfa):
    moderate(scene["post"], action="hide", reason="Advertising.", by=scene["owner"])
    url = reverse("community:moderation", args=[scene["group"].slug])
    for someone, allowed in [
        (scene["moderator"], True),
        (scene["owner"], True),
        (staff(), True),
        (scene["reader"], False),
        (person(), False),
    ]:
        client.force_login(someone)
        response = client.get(url)
        assert response.status_code == (200 if allowed else 403)
        if allowed:
            page = response.content.decode()
            assert "Olga Owner" in page and "Advertising." in page and "hid" in page


def test_moderating_through_the_page(client, scene):
    client.force_login(scene["moderator"])
    url = reverse("community:moderate", args=["post", scene["post"].pk])
    response = client.post(url, {"action": "hide", "reason": ""})
    assert response.status_code == 422 and Post.objects.get(pk=scene["post"].pk).status == "visible"
    response = client.post(url, {"action": "hide", "reason": "Advert."})
    assert response.status_code == 302
    assert response["Location"] == reverse("community:moderation", args=[scene["group"].slug])


def test_members_may_not_moderate(client, scene):
    client.force_login(scene["reader"])
    url = reverse("community:moderate", args=["post", scene["post"].pk])
    assert client.post(url, {"action": "remove", "reason": "I dislike it"}).status_code == 403
    assert Post.objects.get(pk=scene["post"].pk).status == "visible"


def test_reporting_through_the_page(client, scene):
    client.force_login(scene["reader"])
    url = reverse("community:report", args=["post", scene["post"].pk])
    assert client.post(url, {"reason": "nonsense"}).status_code == 422
    response = client.post(url, {"reason": "spam", "note": "Advert"})
    assert response.status_code == 302 and Report.objects.count() == 1


@pytest.mark.parametrize("kind", ["comment", "group", ""])
def test_only_posts_events_and_files_are_reported(client, scene, kind):
    client.force_login(scene["reader"])
    assert client.get(f"/community/report/{kind}/1/").status_code == 404
