"""Reads of the community app: each page's querysets built once, a fixed number of queries.

Which groups a person may know of or read is decided in ``accounts.permissions``; the querysets
here say the same in SQL, so that lists never show what a detail page would refuse.
"""

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import unescape
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from cityzero.accounts.models import CityMembership, PlatformRole
from cityzero.accounts.permissions import roles_of
from cityzero.community import feed
from cityzero.community.models import (
    ContentStatus,
    Discussion,
    Event,
    Group,
    GroupMembership,
    GroupVisibility,
    MembershipStatus,
    ModerationEntry,
    Notification,
    NotificationPreference,
    Post,
    Profile,
    Registration,
    RegistrationStatus,
    Report,
    SharedFile,
    TopicFollow,
)
from cityzero.community.notices import KINDS
from cityzero.knowledge import selectors as knowledge_selectors
from cityzero.knowledge.models import Entry, Tag
from cityzero.reviews.models import Transition
from cityzero.transition.models import StepProgressRevision
from cityzero.transition.phases import STEPS

FEED_SIZE = 20
SUMMARY_CHARS = 220


def _signed_in(user: Any) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _is_staff(user: Any) -> bool:
    return _signed_in(user) and user.platform_role == PlatformRole.STAFF


def _place(user: Any, *statuses: str) -> Exists:
    """The person has a place with one of these statuses in the group of the outer row."""
    return Exists(
        GroupMembership.objects.filter(group=OuterRef("pk"), user=user, status__in=statuses)
    )


# --- groups --------------------------------------------------------------------------------------


def known_groups(user: Any) -> QuerySet[Group]:
    """The groups that exist for this person (``group.view``): all but the secret ones they are
    neither in nor invited to."""
    groups = Group.objects.all()
    if _is_staff(user):
        return groups
    listed = ~Q(visibility=GroupVisibility.SECRET)
    if not _signed_in(user):
        return groups.filter(listed)
    return groups.filter(listed | _place(user, MembershipStatus.ACTIVE, MembershipStatus.INVITED))


def readable_groups(user: Any) -> QuerySet[Group]:
    """The groups whose content this person may read (``group.read``)."""
    groups = Group.objects.all()
    if _is_staff(user):
        return groups
    if not _signed_in(user):
        return groups.none()
    public = Q(visibility=GroupVisibility.PUBLIC) & ~_place(user, MembershipStatus.BANNED)
    return groups.filter(public | _place(user, MembershipStatus.ACTIVE))


def _active_members() -> Count:
    return Count("memberships", filter=Q(memberships__status=MembershipStatus.ACTIVE))


def _with_my_place(groups: QuerySet[Group], user: Any) -> QuerySet[Group]:
    if not _signed_in(user):
        return groups
    mine = GroupMembership.objects.filter(group=OuterRef("pk"), user=user)
    return groups.annotate(
        my_status=Subquery(mine.values("status")[:1]), my_role=Subquery(mine.values("role")[:1])
    )


@dataclass(frozen=True)
class GroupFilters:
    text: str = ""
    kind: str = ""
    visibility: str = ""
    mine: bool = False


def group_directory(user: Any, filters: GroupFilters) -> QuerySet[Group]:
    """The groups this person may know of, with their member count and the person's place."""
    groups = known_groups(user)
    if filters.text:
        groups = groups.filter(Q(name__icontains=filters.text) | Q(summary__icontains=filters.text))
    if filters.kind:
        groups = groups.filter(kind=filters.kind)
    if filters.visibility:
        groups = groups.filter(visibility=filters.visibility)
    if filters.mine and _signed_in(user):
        groups = groups.filter(_place(user, MembershipStatus.ACTIVE))
    groups = groups.annotate(member_count=_active_members())
    return _with_my_place(groups, user).order_by("name", "pk")


def group_page(slug: str) -> Group:
    """The group with its member count; ``Group.DoesNotExist`` for an unknown address."""
    return Group.objects.annotate(member_count=_active_members()).get(slug=slug)


@dataclass
class Members:
    active: list[GroupMembership]
    invited: list[GroupMembership]
    requested: list[GroupMembership]
    banned: list[GroupMembership]


def members(group: Group) -> Members:
    """Everyone with a place in the group, with their profiles, in one query."""
    found = Members([], [], [], [])
    places = group.memberships.select_related("user__profile", "invited_by").order_by(
        "user__full_name", "user__email"
    )
    for place in places:
        getattr(found, place.status).append(place)
    role_order = {"owner": 0, "moderator": 1, "member": 2}
    found.active.sort(key=lambda place: role_order[place.role])
    return found


def keepers(group: Group) -> QuerySet[Any]:
    """The active owners and moderators of a group."""
    return get_user_model().objects.filter(
        group_memberships__group=group,
        group_memberships__status=MembershipStatus.ACTIVE,
        group_memberships__role__in=["owner", "moderator"],
        is_active=True,
    )


def active_members(group: Group) -> QuerySet[Any]:
    return get_user_model().objects.filter(
        group_memberships__group=group,
        group_memberships__status=MembershipStatus.ACTIVE,
        is_active=True,
    )


def active_people(ids: Sequence[int]) -> QuerySet[Any]:
    return get_user_model().objects.filter(pk__in=list(ids), is_active=True).order_by("pk")


# --- discussions ---------------------------------------------------------------------------------


def discussions(group: Group, *, moderating: bool) -> QuerySet[Discussion]:
    found = group.discussions.select_related("author")
    return found if moderating else found.filter(status=ContentStatus.VISIBLE)


def discussion_in(group: Group, pk: int) -> Discussion:
    return Discussion.objects.select_related("group", "author").get(group=group, pk=pk)


@dataclass(frozen=True)
class ThreadPost:
    post: Post
    depth: int  # 0 for the opening post; indentation stops at MAX_DEPTH


MAX_DEPTH = 4


def thread(discussion: Discussion) -> list[ThreadPost]:
    """The posts in reading order: each reply under the post it answers (one query)."""
    posts = list(discussion.posts.select_related("author__profile"))
    children: dict[int | None, list[Post]] = defaultdict(list)
    for post in posts:
        children[post.parent_id].append(post)
    ordered: list[ThreadPost] = []
    stack = [(post, 0) for post in reversed(children[None])]
    while stack:
        post, depth = stack.pop()
        ordered.append(ThreadPost(post, min(depth, MAX_DEPTH)))
        stack.extend((reply, depth + 1) for reply in reversed(children[post.pk]))
    return ordered


# --- events --------------------------------------------------------------------------------------


def _events_for(user: Any) -> QuerySet[Event]:
    """Events this person may see: the platform's and those of groups they may read."""
    events = Event.objects.filter(
        Q(group__isnull=True) | Q(group__in=readable_groups(user)), status=ContentStatus.VISIBLE
    )
    confirmed = Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED))
    events = events.select_related("group").annotate(confirmed_count=confirmed)
    if _signed_in(user):
        mine = Subquery(
            Registration.objects.filter(event=OuterRef("pk"), user=user).values("status")[:1]
        )
        events = events.annotate(my_registration=mine)
    return events


def upcoming_events(
    user: Any, *, group: Group | None = None, registered: bool = False
) -> QuerySet[Event]:
    events = _events_for(user).filter(ends_at__gte=timezone.now())
    if group is not None:
        events = events.filter(group=group)
    if registered and _signed_in(user):
        events = events.filter(registrations__user=user)
    return events.order_by("starts_at", "pk")


def past_events(user: Any, *, group: Group) -> QuerySet[Event]:
    events = _events_for(user).filter(group=group, ends_at__lt=timezone.now())
    return events.order_by("-starts_at", "-pk")


def event_page(pk: int) -> Event:
    confirmed = Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED))
    waiting = Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITING))
    return (
        Event.objects.select_related("group", "created_by")
        .annotate(confirmed_count=confirmed, waiting_count=waiting)
        .get(pk=pk)
    )


def registrations(event: Event) -> QuerySet[Any]:
    return event.registrations.select_related("user").order_by("status", "created_at", "pk")


def registration_of(event: Event, user: Any) -> Any:
    if not _signed_in(user):
        return None
    return event.registrations.filter(user=user).first()


# --- files ---------------------------------------------------------------------------------------


def files(group: Group, *, moderating: bool) -> QuerySet[SharedFile]:
    found = group.files.select_related("uploaded_by")
    return found if moderating else found.filter(status=ContentStatus.VISIBLE)


# --- feeds ---------------------------------------------------------------------------------------


def _after(cursor: feed.Position | None, kind: str, field: str) -> Q:
    """Rows of one stream that come after the cursor in the feed's order (time, kind, key)."""
    if cursor is None:
        return Q()
    older = Q(**{f"{field}__lt": cursor.at})
    if kind < cursor.kind:
        return older | Q(**{field: cursor.at})
    if kind == cursor.kind:
        return older | Q(**{field: cursor.at, "pk__lt": cursor.key})
    return older


def _stream(
    rows: QuerySet[Any],
    cursor: feed.Position | None,
    *,
    kind: str,
    field: str,
    size: int,
    item: Callable[[Any, feed.Position], feed.Item],
) -> list[feed.Item]:
    """Up to ``size + 1`` items of one stream after the cursor, newest first (one query)."""
    rows = rows.filter(_after(cursor, kind, field)).order_by(f"-{field}", "-pk")[: size + 1]
    return [item(row, feed.Position(getattr(row, field), kind, row.pk)) for row in rows]


def _summary(text: str) -> str:
    return Truncator(" ".join(text.split())).chars(SUMMARY_CHARS)


def _name(user: Any) -> str:
    return user.display_name if user is not None else _("Former member")


def _post_item(post: Post, at: feed.Position) -> feed.Item:
    discussion = post.discussion
    url = reverse("community:discussion", args=[discussion.group.slug, discussion.pk])
    what = (
        _("started the discussion “%(title)s”") if post.is_opening else _("replied in “%(title)s”")
    )
    return feed.Item(
        at,
        what % {"title": discussion.title},
        f"{url}#post-{post.pk}",
        where=discussion.group.name,
        who=_name(post.author),
        summary=_summary(unescape(strip_tags(post.body_html))),
    )


def _event_item(event: Event, at: feed.Position) -> feed.Item:
    return feed.Item(
        at,
        _("announced the event “%(title)s”") % {"title": event.title},
        reverse("community:event", args=[event.pk]),
        where=event.group.name if event.group else _("The whole platform"),
        who=_name(event.created_by),
        extra={"starts_at": event.starts_at, "zone": event.time_zone},
    )


def _file_item(shared: SharedFile, at: feed.Position) -> feed.Item:
    return feed.Item(
        at,
        _("shared the file “%(name)s”") % {"name": shared.name},
        reverse("community:files", args=[shared.group.slug]) + f"#file-{shared.pk}",
        where=shared.group.name,
        who=_name(shared.uploaded_by),
        summary=shared.description,
    )


def _group_streams(groups: Any, cursor: feed.Position | None, size: int) -> list[list[feed.Item]]:
    """New posts, events and files in these groups (a group, or a queryset of groups)."""
    in_groups = {"group__in": groups} if isinstance(groups, QuerySet) else {"group": groups}
    posts = Post.objects.filter(
        status=ContentStatus.VISIBLE,
        discussion__status=ContentStatus.VISIBLE,
        **{f"discussion__{key}": value for key, value in in_groups.items()},
    ).select_related("discussion__group", "author")
    events = Event.objects.filter(status=ContentStatus.VISIBLE, **in_groups).select_related(
        "group", "created_by"
    )
    shared = SharedFile.objects.filter(status=ContentStatus.VISIBLE, **in_groups).select_related(
        "group", "uploaded_by"
    )
    return [
        _stream(posts, cursor, kind="post", field="created_at", size=size, item=_post_item),
        _stream(events, cursor, kind="event", field="created_at", size=size, item=_event_item),
        _stream(shared, cursor, kind="file", field="uploaded_at", size=size, item=_file_item),
    ]


def group_feed(group: Group, cursor: str = "", *, size: int = FEED_SIZE) -> feed.Page:
    """The newest activity in a group: posts, events and files (three queries)."""
    position = feed.Position.decode(cursor) if cursor else None
    return feed.merge(_group_streams(group, position, size), size=size)


_STEP_TITLES = {step.code: step.heading for step in STEPS}


def _progress_item(revision: StepProgressRevision, at: feed.Position) -> feed.Item:
    progress = revision.progress
    city = progress.city
    return feed.Item(
        at,
        _("reported “%(step)s” as %(status)s")
        % {
            "step": _STEP_TITLES.get(progress.step, progress.step),
            "status": revision.get_status_display().lower(),
        },
        reverse("transition:city_step", args=[city.slug, progress.step]),
        where=city.name,
        who=_name(revision.author),
        summary=_summary(revision.note),
    )


def _contract_item(transition: Transition, at: feed.Position) -> feed.Item:
    iteration = transition.iteration
    city = iteration.contract.city
    return feed.Item(
        at,
        _("moved contract iteration %(n)s to “%(status)s”")
        % {"n": iteration.number, "status": transition.get_target_display()},
        reverse("reviews:submission", args=[city.slug, iteration.number]),
        where=city.name,
        who=_name(transition.actor) if transition.actor else _("The platform"),
        summary=_summary(transition.message),
    )


def _entry_item(entry: Entry, at: feed.Position) -> feed.Item:
    return feed.Item(
        at,
        _("New in the Knowledge Repository: “%(title)s”") % {"title": entry.title},
        reverse("knowledge:entry", args=[entry.slug]),
        where=_("Knowledge Repository"),
        summary=_summary(entry.summary),
    )


def personal_feed(user: Any, cursor: str = "", *, size: int = FEED_SIZE) -> feed.Page:
    """What happened in the person's groups, their cities and the topics they follow, newest
    first: six queries, whatever the number of groups, cities and topics."""
    position = feed.Position.decode(cursor) if cursor else None
    my_groups = Group.objects.filter(
        memberships__user=user, memberships__status=MembershipStatus.ACTIVE
    )
    city_ids = sorted(roles_of(user).city_roles)
    streams = _group_streams(my_groups, position, size)
    # Platform-wide events are everyone's.
    platform_events = Event.objects.filter(
        group__isnull=True, status=ContentStatus.VISIBLE
    ).select_related("created_by")
    streams.append(
        _stream(
            platform_events,
            position,
            kind="platform",
            field="created_at",
            size=size,
            item=_event_item,
        )
    )
    revisions = StepProgressRevision.objects.filter(progress__city_id__in=city_ids).select_related(
        "progress__city", "author"
    )
    streams.append(
        _stream(
            revisions, position, kind="progress", field="created_at", size=size, item=_progress_item
        )
    )
    transitions = Transition.objects.filter(
        iteration__contract__city_id__in=city_ids
    ).select_related("iteration__contract__city", "actor")
    streams.append(
        _stream(
            transitions,
            position,
            kind="contract",
            field="created_at",
            size=size,
            item=_contract_item,
        )
    )
    followed = TopicFollow.objects.filter(user=user).values("tag_id")
    about_mine = Entry.cities.through.objects.filter(city_id__in=city_ids).values("entry_id")
    tagged = Entry.tags.through.objects.filter(tag_id__in=followed).values("entry_id")
    entries = knowledge_selectors.published().filter(
        Q(pk__in=about_mine) | Q(pk__in=tagged), published_at__isnull=False
    )
    streams.append(
        _stream(entries, position, kind="entry", field="published_at", size=size, item=_entry_item)
    )
    return feed.merge(streams, size=size)


def followed_tags(user: Any) -> set[int]:
    return set(TopicFollow.objects.filter(user=user).values_list("tag_id", flat=True))


# --- people --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeopleFilters:
    text: str = ""
    city: str = ""  # slug
    tag: str = ""  # expertise tag code
    language: str = ""


def _with_cities(profiles: QuerySet[Profile]) -> QuerySet[Profile]:
    cities = CityMembership.objects.select_related("city").order_by("city__name")
    return profiles.select_related("user").prefetch_related(
        "expertise", Prefetch("user__memberships", queryset=cities)
    )


def people(filters: PeopleFilters) -> QuerySet[Profile]:
    """Profiles their owners show, of active people: never a hidden one (three queries a page)."""
    found = Profile.objects.filter(visible=True, user__is_active=True)
    if filters.text:
        words = filters.text
        found = found.filter(
            Q(user__full_name__icontains=words)
            | Q(handle__icontains=words)
            | Q(job_title__icontains=words)
            | Q(bio__icontains=words)
        )
    if filters.city:
        found = found.filter(user__memberships__city__slug=filters.city)
    if filters.tag:
        found = found.filter(expertise__code=filters.tag)
    if filters.language:
        found = found.filter(language_codes__contains=f",{filters.language},")
    return _with_cities(found).order_by("user__full_name", "handle")


def profile_page(handle: str) -> Profile:
    return _with_cities(Profile.objects.filter(user__is_active=True)).get(handle=handle)


def profile_of(user: Any) -> Profile | None:
    return Profile.objects.filter(user=user).prefetch_related("expertise").first()


def mention_candidates(group: Group, text: str, *, limit: int = 10) -> list[Profile]:
    """Members of the group with a shown profile whose handle or name starts like ``text``."""
    text = text.strip().lstrip("@")
    if not text:
        return []
    members_of_group = GroupMembership.objects.filter(
        group=group, status=MembershipStatus.ACTIVE
    ).values("user_id")
    found = Profile.objects.filter(
        Q(handle__istartswith=text) | Q(user__full_name__istartswith=text),
        visible=True,
        user__is_active=True,
        user_id__in=members_of_group,
    ).select_related("user")
    return list(found.order_by("handle")[:limit])


def tags() -> QuerySet[Tag]:
    return Tag.objects.order_by("facet", "position", "name")


# --- notifications -------------------------------------------------------------------------------


def notifications_of(recipient: Any) -> QuerySet[Notification]:
    """The person's notifications, less those about a group they may no longer know of or read:
    a secret group's, once they have left it or been banned, vanish."""
    notes = Notification.objects.filter(recipient=recipient)
    if _is_staff(recipient):
        return notes
    place = GroupMembership.objects.filter(group=OuterRef("group"), user=recipient)
    member = Exists(place.filter(status=MembershipStatus.ACTIVE))
    invited = Exists(place.filter(status=MembershipStatus.INVITED))
    about_place = Q(kind="group") & (~Q(group__visibility=GroupVisibility.SECRET) | invited)
    return notes.filter(Q(group__isnull=True) | member | about_place)


def unread_count(recipient: Any) -> int:
    return notifications_of(recipient).filter(read_at__isnull=True).count()


def preferences_of(user: Any) -> dict[str, str]:
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind.code: chosen.get(kind.code, kind.default) for kind in KINDS}


# --- moderation ----------------------------------------------------------------------------------


def open_reports(group: Group | None) -> QuerySet[Report]:
    """Reports waiting for a decision: a group's, or (None) those on the platform's events."""
    return Report.objects.filter(group=group, resolved_at__isnull=True).select_related(
        "post__discussion", "event", "file", "reporter"
    )


def moderation_log(group: Group | None) -> QuerySet[ModerationEntry]:
    return ModerationEntry.objects.filter(group=group).select_related("actor")


def last_posts_of(user: Any, since: datetime) -> list[datetime]:
    return list(
        Post.objects.filter(author=user, created_at__gte=since).values_list("created_at", flat=True)
    )
