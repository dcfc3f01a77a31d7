from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from cityzero.community.models import Notification


def _absolute(url: str) -> str:
    return settings.SITE_URL.rstrip("/") + url if url.startswith("/") else url


def _send_emails(notifications: list[Notification]) -> None:
    prefix = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
    messages = [
        EmailMessage(
            subject=prefix + n.title,
            body=f"{n.body}\n\n{_absolute(n.url)}".strip(),
            to=[n.recipient.email],
        )
        for n in notifications
    ]
    get_connection().send_messages(messages)


def notify(
    recipients: Iterable[Any], *, source: str, title: str, body: str = "", url: str = ""
) -> int:
    """Tell each active recipient about an event, in the platform now and by email after commit.

    Someone already told about ``source`` is not told again, so a retried call sends nothing twice.
    """
    people = {person.pk: person for person in recipients if person.is_active}
    already = set(
        Notification.objects.filter(source=source, recipient_id__in=people).values_list(
            "recipient_id", flat=True
        )
    )
    created = Notification.objects.bulk_create(
        Notification(recipient=person, source=source, title=title[:200], body=body, url=url)
        for pk, person in sorted(people.items())
        if pk not in already
    )
    if created:
        # robust: a mail server that is down is logged; the event itself has happened.
        transaction.on_commit(lambda: _send_emails(created), robust=True)
    return len(created)


def mark_read(recipient: Any, pk: int | None = None) -> int:
    """Mark one of the recipient's notifications read, or all of them when ``pk`` is None."""
    unread = Notification.objects.filter(recipient=recipient, read_at__isnull=True)
    if pk is not None:
        unread = unread.filter(pk=pk)
    return unread.update(read_at=timezone.now())
