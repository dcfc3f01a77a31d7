"""Groups, members, posts and events for the community tests, made through the services."""

from datetime import UTC, datetime, timedelta

from django.utils import timezone

from cityzero.accounts.models import PlatformRole
from cityzero.accounts.permissions import forget_roles
from cityzero.community.models import (
    EventFormat,
    GroupKind,
    GroupMembership,
    GroupRole,
    MembershipStatus,
)
from cityzero.community.services import discussions, events, groups
from cityzero.community.services.people import ensure_profile
from tests.factories import UserFactory

NEXT_MAY = datetime(timezone.now().year + 1, 5, 12, 12, 0, tzinfo=UTC)  # 14:00 in Brussels


def staff(**fields):
    return UserFactory(platform_role=PlatformRole.STAFF, **fields)


def person(name: str = "", *, days_old: int = 365, **fields):
    """Someone signed up ``days_old`` days ago (new accounts have posting limits)."""
    if name:
        fields["full_name"] = name
    user = UserFactory(**fields)
    user.date_joined = timezone.now() - timedelta(days=days_old)
    user.save(update_fields=["date_joined"])
    return user


def make_group(
    name: str = "Heat planning",
    visibility: str = "public",
    *,
    owner=None,
    kind: str = GroupKind.THEMATIC,
    **fields,
):
    fields.setdefault("summary", f"Cities working on {name.lower()}.")
    return groups.create_group(
        name=name,
        kind=kind,
        visibility=visibility,
        owner=owner or person("Olga Owner"),
        by=staff(),
        **fields,
    )


def add(group, user=None, *, role: str = GroupRole.MEMBER, status=MembershipStatus.ACTIVE):
    """Give someone a place in the group directly (the services are tested on their own)."""
    user = user or person()
    GroupMembership.objects.create(group=group, user=user, role=role, status=status)
    ensure_profile(user)
    forget_roles(user)
    return user


def discuss(group, author=None, *, title: str = "Heat pumps in old buildings", body: str = "Who?"):
    author = author or add(group)
    return discussions.start_discussion(group, title=title, body=body, by=author)


def event_input(**changes) -> events.EventInput:
    values = {
        "title": "Heat planning workshop",
        "description": "Bring your **heat map**.",
        "starts_at": NEXT_MAY,
        "ends_at": NEXT_MAY + timedelta(hours=2),
        "time_zone": "Europe/Brussels",
        "format": EventFormat.ONLINE,
        "online_url": "https://meet.example.org/heat",
        "venue": "",
        "capacity": None,
        "waiting_list": True,
    }
    values.update(changes)
    return events.EventInput(**values)


def make_event(group=None, *, by=None, **changes):
    return events.create_event(group, data=event_input(**changes), by=by or staff())
