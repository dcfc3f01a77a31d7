"""Each person's choice per kind of news (platform only, email at once, daily digest, off), the
digest command (each notification in one digest at most, a failed send retried), and leaving
emails through the signed link in them."""

import io
import re

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.urls import reverse

from cityzero.community.models import Digest, Notification, NotificationPreference
from cityzero.community.notices import KINDS, kind_of
from cityzero.community.services import notify
from cityzero.community.services.notifications import (
    UNSUBSCRIBE_SALT,
    read_unsubscribe_token,
    send_digests,
    set_preferences,
    unsubscribe_token,
)
from tests.community.factories import person

pytestmark = pytest.mark.django_db
SITE = "http://127.0.0.1:8000"


@pytest.fixture
def erika():
    return person("Erika Weber", email="erika@example.org")


def tell(people, source, title="News", **fields):
    return notify(people, source=source, title=title, url="/groups/heat/", **fields)


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        ("transition:12", "contract"),
        ("reminder:3:2026-05-01:late", "contract"),
        ("support:4:filed", "support"),
        ("needs-assessment:2", "support"),
        ("entry:5:2:published", "knowledge"),
        ("application:7:outcome", "programme"),
        ("report:3:submitted", "programme"),
        ("flag:9", "moderation"),
        ("mention:4", "mention"),
        ("group:1:invitation:2", "group"),
        ("registration:5:confirmed", "event"),
        ("something-new:1", "other"),
        ("", "other"),
    ],
)
def test_the_kind_of_a_source_is_its_prefix(source, kind):
    assert kind_of(source) == kind


def test_without_a_choice_each_kind_has_its_default(erika, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tell([erika], "mention:1")
        tell([erika], "discussion:2")
    deliveries = dict(Notification.objects.values_list("kind", "delivery"))
    assert deliveries == {"mention": "email", "discussion": "digest"}
    assert [m.subject for m in mail.outbox] == ["[CityZero] News"]


@pytest.mark.parametrize(
    ("delivery", "stored", "emailed"),
    [
        ("platform", True, False),
        ("email", True, True),
        ("digest", True, False),
        ("off", False, False),
    ],
)
def test_notify_honours_the_persons_choice(
    erika, delivery, stored, emailed, django_capture_on_commit_callbacks
):
    set_preferences(erika, {"mention": delivery})
    with django_capture_on_commit_callbacks(execute=True):
        told = tell([erika], "mention:1")
    assert told == int(stored)
    assert Notification.objects.filter(recipient=erika).exists() is stored
    assert bool(mail.outbox) is emailed


def test_one_persons_choice_does_not_change_anothers(erika, django_capture_on_commit_callbacks):
    other = person(email="other@example.org")
    set_preferences(erika, {"reply": "off"})
    with django_capture_on_commit_callbacks(execute=True):
        assert tell([erika, other], "reply:1") == 1
    assert [m.to for m in mail.outbox] == [["other@example.org"]]


def test_preferences_of_unknown_kinds_or_ways_are_refused(erika):
    from django.core.exceptions import ValidationError

    for choices in ({"weather": "email"}, {"mention": "pigeon"}):
        with pytest.raises(ValidationError):
            set_preferences(erika, choices)
    assert not NotificationPreference.objects.exists()


def test_the_settings_page_saves_every_kind(client, erika):
    client.force_login(erika)
    data = {kind.code: "platform" for kind in KINDS} | {"mention": "off", "event": "digest"}
    response = client.post(reverse("community:preferences"), data)
    assert response.status_code == 302
    saved = dict(NotificationPreference.objects.filter(user=erika).values_list("kind", "delivery"))
    assert saved["mention"] == "off" and saved["event"] == "digest" and saved["other"] == "platform"
    assert len(saved) == len(KINDS)


def test_the_settings_page_refuses_a_way_that_does_not_exist(client, erika):
    client.force_login(erika)
    response = client.post(reverse("community:preferences"), {"mention": "carrier-pigeon"})
    assert response.status_code == 422
    assert not NotificationPreference.objects.exists()


# --- emails and leaving them ---------------------------------------------------------------------


def test_an_email_says_how_to_stop_it_and_carries_the_one_click_headers(
    erika, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tell([erika], "mention:1", title="Mia mentioned you", body="In “Heat”.")
    message = mail.outbox[0]
    text, signature = message.body.split("\n\n-- \n")
    assert text == f"In “Heat”.\n\n{SITE}/groups/heat/"
    link = re.search(r"Stop emails about someone mentions you in a discussion: (\S+)", signature)
    assert link and link.group(1).startswith(f"{SITE}/notifications/unsubscribe/")
    assert f"Choose what you receive: {SITE}/notifications/settings/" in signature
    assert message.extra_headers["List-Unsubscribe"] == f"<{link.group(1)}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_link_asks_first_then_stops_that_kind_only(client, erika):
    url = reverse("community:unsubscribe", args=[unsubscribe_token(erika, "mention")])
    page = client.get(url).content.decode()
    assert "Stop the emails about Someone mentions you in a discussion?" in page
    assert not NotificationPreference.objects.exists()  # a visit changes nothing
    response = client.post(url)  # no CSRF token: mail programs post in one click
    assert response.status_code == 200 and "Done" in response.content.decode()
    assert dict(NotificationPreference.objects.values_list("kind", "delivery")) == {
        "mention": "platform"
    }


def forged_tokens(erika) -> list[str]:
    good = unsubscribe_token(erika, "mention")
    return [
        "nonsense",
        "1:abc:def",
        good[:-2] + ("xx" if not good.endswith("xx") else "yy"),  # the signature damaged
        signing.dumps([erika.pk, "mention"], salt="another purpose"),
        signing.dumps([erika.pk, "weather"], salt=UNSUBSCRIBE_SALT),  # no such kind
        signing.dumps([987654, "mention"], salt=UNSUBSCRIBE_SALT),  # no such person
        signing.dumps(["x", "mention"], salt=UNSUBSCRIBE_SALT),
    ]


def test_a_forged_or_damaged_link_changes_nothing(client, erika):
    for bad in forged_tokens(erika):
        response = client.post(reverse("community:unsubscribe", args=[bad]))
        assert response.status_code == 400, bad
        assert "This link is not valid" in response.content.decode()
    assert not NotificationPreference.objects.exists()
    assert read_unsubscribe_token(unsubscribe_token(erika, "mention")) == (erika.pk, "mention")


# --- digests -------------------------------------------------------------------------------------


def digest_setup(erika, *sources):
    set_preferences(erika, {"discussion": "digest", "reply": "digest"})
    for n, source in enumerate(sources):
        tell([erika], source, title=f"News {n + 1}", body=f"Body {n + 1}")


def test_the_digest_gathers_the_days_notifications_in_one_email(erika):
    digest_setup(erika, "discussion:1", "reply:2")
    assert send_digests() == 1
    (message,) = mail.outbox
    assert message.subject == "[CityZero] Your daily digest: 2 notifications"
    text = message.body.split("\n\n-- \n")[0]
    assert text == (
        f"* News 1\n  Body 1\n  {SITE}/groups/heat/\n\n* News 2\n  Body 2\n  {SITE}/groups/heat/"
    )
    assert "Stop emails about anything in the daily digest" in message.body
    assert Notification.objects.filter(digest__isnull=True).count() == 0


def test_running_the_digest_again_sends_nothing_twice(erika):
    digest_setup(erika, "discussion:1")
    assert send_digests() == 1
    assert send_digests() == 0
    tell([erika], "discussion:2", title="Later news")
    assert send_digests() == 1
    assert [m.subject for m in mail.outbox] == ["[CityZero] Your daily digest: 1 notification"] * 2
    assert "Later news" in mail.outbox[1].body and "News 1" not in mail.outbox[1].body
    assert Digest.objects.count() == 2


def test_notifications_read_before_the_digest_are_left_out(erika):
    digest_setup(erika, "discussion:1", "reply:2")
    Notification.objects.filter(source="reply:2").update(read_at="2026-01-01T00:00Z")
    send_digests()
    assert "News 2" not in mail.outbox[0].body and "News 1" in mail.outbox[0].body


def test_emails_at_once_are_never_in_the_digest(erika, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tell([erika], "mention:1")
    mail.outbox.clear()
    assert send_digests() == 0 and mail.outbox == []


def test_a_failed_send_is_retried_with_the_same_notifications(erika, monkeypatch):
    digest_setup(erika, "discussion:1")
    from django.core.mail.backends.locmem import EmailBackend

    def broken(self, messages):
        raise OSError("mail server down")

    monkeypatch.setattr(EmailBackend, "send_messages", broken)
    assert send_digests() == 0
    digest = Digest.objects.get()
    assert digest.sent_at is None and digest.notifications.count() == 1
    monkeypatch.undo()
    tell([erika], "reply:2", title="Newer")
    assert send_digests() == 2  # the failed one, then a new one with the newer notification
    assert Digest.objects.filter(sent_at__isnull=True).count() == 0
    assert sorted(
        Digest.objects.get(pk=digest.pk).notifications.values_list("source", flat=True)
    ) == ["discussion:1"]


def test_the_digests_of_several_people_are_their_own(erika):
    other = person(email="other@example.org")
    set_preferences(other, {"discussion": "digest"})
    digest_setup(erika, "discussion:1")
    tell([other], "discussion:1", title="Their news")
    assert send_digests() == 2
    by_person = {m.to[0]: m.body for m in mail.outbox}
    assert "Their news" in by_person["other@example.org"]
    assert "Their news" not in by_person["erika@example.org"]


def test_the_command_says_how_many_it_sent(erika):
    digest_setup(erika, "discussion:1")
    out = io.StringIO()
    call_command("send_digests", stdout=out)
    assert out.getvalue() == "1 digest(s) sent.\n"


def test_a_digest_link_stops_every_kind_in_the_digest(client, erika):
    set_preferences(erika, {"discussion": "digest", "event": "digest", "mention": "email"})
    url = reverse("community:unsubscribe", args=[unsubscribe_token(erika, "digest")])
    client.post(url)
    prefs = dict(NotificationPreference.objects.filter(user=erika).values_list("kind", "delivery"))
    assert (prefs["discussion"], prefs["event"], prefs["mention"]) == (
        "platform",
        "platform",
        "email",
    )
