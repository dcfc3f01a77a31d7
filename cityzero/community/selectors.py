from typing import Any

from django.db.models import QuerySet

from cityzero.community.models import Notification


def notifications_of(recipient: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=recipient)


def unread_count(recipient: Any) -> int:
    return Notification.objects.filter(recipient=recipient, read_at__isnull=True).count()
