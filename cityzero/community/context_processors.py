from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from cityzero.community.selectors import unread_count


def notifications(request: HttpRequest) -> dict:
    """The unread count, read from the database only if the page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
