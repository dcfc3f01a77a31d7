"""Telling people: notifications in the platform, emails at once or in a daily digest, as each
person's preferences say; and leaving emails with a signed link."""

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cityzero.community import selectors
from cityzero.community.models import (
    Delivery,
    Digest,
    Group,
    Notification,
    NotificationPreference,
)
from cityzero.community.notices import BY_CODE, kind_of

log = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "cityzero.community.unsubscribe"
EVERY_DIGEST = "digest"  # an unsubscribe token's "kind" for all kinds delivered in the digest


def _absolute(url: str) -> str:
    return settings.SITE_URL.rstrip("/") + url if url.startswith("/") else url


# --- unsubscribing -------------------------------------------------------------------------------


def unsubscribe_token(user: Any, kind: str) -> str:
    return signing.dumps([user.pk, kind], salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(user id, kind) that a token from an email names; None for a forged or damaged one."""
    try:
        user_id, kind = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or (kind not in BY_CODE and kind != EVERY_DIGEST):
        return None
    return user_id, kind


def _unsubscribe_url(user: Any, kind: str) -> str:
    token = unsubscribe_token(user, kind)
    return _absolute(reverse("community:unsubscribe", args=[token]))


def _email(recipient: Any, *, subject: str, body: str, kind: str, what: str) -> EmailMessage:
    """An email with a footer saying how to stop it, and the List-Unsubscribe headers (RFC 8058)
    that let mail programs offer the same in one click."""
    leave = _unsubscribe_url(recipient, kind)
    footer = _(
        "You receive this email because of your notification settings on CityZero.\n"
        "Stop emails about %(what)s: %(leave)s\n"
        "Choose what you receive: %(settings)s"
    ) % {
        "what": what,
        "leave": leave,
        "settings": _absolute(reverse("community:preferences")),
    }
    return EmailMessage(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=f"{body}\n\n-- \n{footer}".lstrip(),
        to=[recipient.email],
        headers={
            "List-Unsubscribe": f"<{leave}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def _send_emails(notifications: list[Notification]) -> None:
    messages = [
        _email(
            n.recipient,
            subject=n.title,
            body=f"{n.body}\n\n{_absolute(n.url)}".strip(),
            kind=n.kind,
            what=str(BY_CODE[n.kind].label).lower(),
        )
        for n in notifications
    ]
    get_connection().send_messages(messages)


# --- preferences ---------------------------------------------------------------------------------


def deliveries(user_ids: Iterable[int], kind: str) -> dict[int, str]:
    """How each person wants to hear of this kind of event (their choice, or the default)."""
    ids = list(user_ids)
    default = BY_CODE[kind].default
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=ids, kind=kind).values_list(
            "user_id", "delivery"
        )
    )
    return {pk: chosen.get(pk, default) for pk in ids}


@transaction.atomic
def set_preferences(user: Any, choices: Mapping[str, str]) -> None:
    """Keep the person's choice for each kind named; the other kinds keep theirs."""
    problems = [
        kind
        for kind, delivery in choices.items()
        if kind not in BY_CODE or delivery not in Delivery.values
    ]
    if problems:
        raise ValidationError(_("Choose one of the offered ways for each kind of notification."))
    NotificationPreference.objects.filter(user=user, kind__in=list(choices)).delete()
    NotificationPreference.objects.bulk_create(
        NotificationPreference(user=user, kind=kind, delivery=delivery)
        for kind, delivery in choices.items()
    )


def stop_emails(user: Any, kind: str) -> list[str]:
    """What an unsubscribe link does: the kind (or every kind delivered in the digest) is kept
    in the platform only. The kinds changed."""
    if kind == EVERY_DIGEST:
        current = selectors.preferences_of(user)
        kinds = [code for code, delivery in current.items() if delivery == Delivery.DIGEST]
    else:
        kinds = [kind]
    set_preferences(user, dict.fromkeys(kinds, Delivery.PLATFORM))
    return kinds


# --- notifying -----------------------------------------------------------------------------------


def notify(
    recipients: Iterable[Any],
    *,
    source: str,
    title: str,
    body: str = "",
    url: str = "",
    kind: str | None = None,
    group: Group | None = None,
) -> int:
    """Tell each active recipient about an event, as they wish to hear of its kind: in the
    platform now, and by email after commit or in the next daily digest (or not at all).

    Someone already told about ``source`` is not told again, so a retried call sends nothing
    twice. ``group`` marks a notification about a group's content, so that it is shown only while
    the recipient may know the group. ``kind`` defaults to the one ``source`` says.
    """
    kind = kind if kind in BY_CODE else kind_of(source)
    people = {person.pk: person for person in recipients if person.is_active}
    already = set(
        Notification.objects.filter(source=source, recipient_id__in=people).values_list(
            "recipient_id", flat=True
        )
    )
    wanted = deliveries([pk for pk in people if pk not in already], kind)
    created = Notification.objects.bulk_create(
        Notification(
            recipient=people[pk],
            source=source,
            kind=kind,
            delivery=delivery,
            group=group,
            title=title[:200],
            body=body,
            url=url,
        )
        for pk, delivery in sorted(wanted.items())
        if delivery != Delivery.OFF
    )
    emailed = [n for n in created if n.delivery == Delivery.EMAIL]
    if emailed:
        # robust: a mail server that is down is logged; the event itself has happened.
        transaction.on_commit(lambda: _send_emails(emailed), robust=True)
    return len(created)


def mark_read(recipient: Any, pk: int | None = None) -> int:
    """Mark one of the recipient's notifications read, or all of them when ``pk`` is None."""
    unread = Notification.objects.filter(recipient=recipient, read_at__isnull=True)
    if pk is not None:
        unread = unread.filter(pk=pk)
    return unread.update(read_at=timezone.now())


# --- daily digests -------------------------------------------------------------------------------


@transaction.atomic
def _gather_digests() -> int:
    """Put every waiting digest notification in a new digest of its recipient: unread ones the
    recipient may still see. Each joins one digest at most (locked, then marked)."""
    waiting = Notification.objects.filter(
        delivery=Delivery.DIGEST, digest__isnull=True, read_at__isnull=True
    )
    recipient_ids = sorted(set(waiting.values_list("recipient_id", flat=True)))
    gathered = 0
    for person in selectors.active_people(recipient_ids):
        mine = selectors.notifications_of(person).filter(pk__in=waiting)
        claimed = list(
            mine.select_for_update(skip_locked=True, of=("self",)).values_list("pk", flat=True)
        )
        if claimed:
            digest = Digest.objects.create(recipient=person)
            Notification.objects.filter(pk__in=claimed, digest__isnull=True).update(digest=digest)
            gathered += 1
    return gathered


def _digest_email(digest: Digest) -> EmailMessage:
    notes = list(digest.notifications.order_by("created_at", "pk"))
    subject = ngettext(
        "Your daily digest: %(n)s notification",
        "Your daily digest: %(n)s notifications",
        len(notes),
    ) % {"n": len(notes)}
    lines = []
    for note in notes:
        lines.append(f"* {note.title}")
        if note.body:
            lines.append("  " + note.body.replace("\n", "\n  "))
        if note.url:
            lines.append("  " + _absolute(note.url))
        lines.append("")
    return _email(
        digest.recipient,
        subject=subject,
        body="\n".join(lines).rstrip(),
        kind=EVERY_DIGEST,
        what=_("anything in the daily digest"),
    )


def send_digests() -> int:
    """Gather the day's digests and send every digest not sent yet (a failed one is sent again,
    with the same notifications, on the next run). The number sent."""
    _gather_digests()
    sent = 0
    unsent = Digest.objects.filter(sent_at__isnull=True).select_related("recipient")
    for digest in unsent.order_by("pk"):
        if digest.notifications.exists() and digest.recipient.is_active:
            try:
                get_connection().send_messages([_digest_email(digest)])
            except OSError:
                log.warning("Digest %s not sent; it will be retried", digest.pk)
                continue
            sent += 1
        Digest.objects.filter(pk=digest.pk, sent_at__isnull=True).update(sent_at=timezone.now())
    return sent
