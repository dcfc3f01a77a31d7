"""Groups, events and the directory of people in the API. What the API shows follows the same
rules as the pages: a secret group is unknown to whoever is not in it, content of a group only
for those who may read it, and people only when they show their profile."""

from datetime import datetime

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import django_auth

from cityzero.accounts.permissions import can
from cityzero.accounts.tokens import TokenAuth
from cityzero.community import selectors
from cityzero.community.models import Event, Group, Profile

router = Router(tags=["community"])


def _anyone(request: HttpRequest) -> bool:
    """Lets anonymous callers through after the token and the session were tried."""
    return True


SIGNED_IN = [TokenAuth(), django_auth]
ANYONE = [TokenAuth(), django_auth, _anyone]


class CommunityPagination(PageNumberPagination):
    page_size = 50
    max_page_size = 200


class GroupOut(Schema):
    slug: str
    name: str
    kind: str
    visibility: str
    summary: str
    members: int
    url: str


class GroupDetailOut(GroupOut):
    description_html: str
    last_activity_at: datetime | None  # only for those who may read the group


class EventOut(Schema):
    id: int
    title: str
    group: str | None  # the group's slug; None for a platform event
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    format: str
    venue: str
    capacity: int | None
    registered: int
    cancelled: bool
    url: str
    calendar_url: str


class PersonOut(Schema):
    handle: str
    name: str
    role: str
    cities: list[str]
    expertise: list[str]
    languages: list[str]
    bio: str
    url: str


class GroupParams(Schema):
    q: str = Field("", max_length=200)
    kind: str = Field("", max_length=12)


class PeopleParams(Schema):
    q: str = Field("", max_length=200)
    city: str = Field("", max_length=100, description="A city's slug")
    tag: str = Field("", max_length=40, description="An expertise tag's code")
    language: str = Field("", max_length=2, description="A language code, e.g. de")


def _group(group: Group) -> dict:
    return {
        "slug": group.slug, "name": group.name, "kind": group.kind,
        "visibility": group.visibility, "summary": group.summary,
        "members": group.member_count, "url": reverse("community:group", args=[group.slug]),
    }  # fmt: skip


@router.get("/groups", auth=ANYONE, response=list[GroupOut], summary="Groups you may know of")
@paginate(CommunityPagination)
def groups(request: HttpRequest, params: Query[GroupParams]):
    filters = selectors.GroupFilters(text=params.q.strip(), kind=params.kind)
    return [_group(group) for group in selectors.group_directory(request.user, filters)]


@router.get("/groups/{slug}", auth=ANYONE, response=GroupDetailOut, summary="One group")
def group(request: HttpRequest, slug: str):
    try:
        found = selectors.group_page(slug)
    except Group.DoesNotExist:
        raise Http404("No such group.") from None
    if not can(request.user, "group.view", found):
        raise Http404("No such group.")
    readable = can(request.user, "group.read", found)
    return {
        **_group(found),
        "description_html": found.description_html,
        "last_activity_at": found.last_activity_at if readable else None,
    }


def _event(event: Event) -> dict:
    return {
        "id": event.pk, "title": event.title,
        "group": event.group.slug if event.group else None, "starts_at": event.starts_at,
        "ends_at": event.ends_at, "time_zone": event.time_zone, "format": event.format,
        "venue": event.venue, "capacity": event.capacity, "registered": event.confirmed_count,
        "cancelled": event.is_cancelled, "url": reverse("community:event", args=[event.pk]),
        "calendar_url": reverse("community:event_calendar", args=[event.pk]),
    }  # fmt: skip


@router.get("/events", auth=ANYONE, response=list[EventOut], summary="Upcoming events you may see")
@paginate(CommunityPagination)
def events(request: HttpRequest):
    return [_event(event) for event in selectors.upcoming_events(request.user)]


def _person(profile: Profile) -> dict:
    return {
        "handle": profile.handle, "name": profile.user.display_name, "role": profile.job_title,
        "cities": [place.city.slug for place in profile.user.memberships.all()],
        "expertise": [tag.code for tag in profile.expertise.all()],
        "languages": profile.languages, "bio": profile.bio,
        "url": reverse("community:person", args=[profile.handle]),
    }  # fmt: skip


@router.get(
    "/people", auth=SIGNED_IN, response=list[PersonOut],
    summary="People who show their profile (signed in only)",
)  # fmt: skip
@paginate(CommunityPagination)
def people(request: HttpRequest, params: Query[PeopleParams]):
    filters = selectors.PeopleFilters(
        text=params.q.strip(), city=params.city, tag=params.tag, language=params.language
    )
    return [_person(profile) for profile in selectors.people(filters)]
