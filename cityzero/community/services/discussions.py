"""Discussions in a group: opening one, replying to a post, and telling the people concerned.

Every post passes the posting limits first (``spam``): so many posts a minute, few links from
new accounts, no repeated message. ``@handle`` mentions tell the group's members who may read the
discussion; any other handle is plain text and tells nobody anything.
"""

import re
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cityzero.community import selectors, spam
from cityzero.community.models import (
    MAX_POST,
    MAX_TITLE,
    ContentStatus,
    Discussion,
    Group,
    MembershipStatus,
    Post,
    Profile,
)
from cityzero.community.services.notifications import notify
from cityzero.core.markdown import render_markdown

MENTION = re.compile(r"(?<![\w@./-])@([a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?)(?![\w-])", re.I)


class RateLimited(Exception):
    """Too many posts in the last minute; ``wait`` seconds until the next one fits."""

    def __init__(self, wait: int) -> None:
        super().__init__(f"rate limited for {wait} s")
        self.wait = wait


def check_posting(author: Any, body: str) -> str:
    """The body as it is kept, if this person may post it now; otherwise ``RateLimited`` or a
    ``ValidationError`` saying what is wrong."""
    body = body.strip()
    if not body:
        raise ValidationError(_("Write a message first."))
    if len(body) > MAX_POST:
        raise ValidationError(
            _("Keep the message to %(n)s characters; this is %(length)s.")
            % {"n": f"{MAX_POST:,}", "length": f"{len(body):,}"}
        )
    now = timezone.now()
    window = timedelta(seconds=settings.COMMUNITY_POST_WINDOW_SECONDS)
    wait = spam.seconds_to_wait(
        selectors.last_posts_of(author, now - window),
        now=now,
        limit=settings.COMMUNITY_POSTS_PER_WINDOW,
        window=window,
    )
    if wait:
        raise RateLimited(wait)
    new_until = author.date_joined + timedelta(days=settings.COMMUNITY_NEW_ACCOUNT_DAYS)
    most = settings.COMMUNITY_NEW_ACCOUNT_MAX_LINKS
    if now < new_until and spam.link_count(body) > most:
        raise ValidationError(
            ngettext(
                "Accounts younger than %(days)s days may put %(n)s link in a message.",
                "Accounts younger than %(days)s days may put up to %(n)s links in a message.",
                most,
            )
            % {"days": settings.COMMUNITY_NEW_ACCOUNT_DAYS, "n": most}
        )
    since = now - timedelta(hours=settings.COMMUNITY_DUPLICATE_HOURS)
    if Post.objects.filter(
        author=author, fingerprint=spam.fingerprint(body), created_at__gte=since
    ).exists():
        raise ValidationError(_("You have posted this very message already."))
    return body


def discussion_url(discussion: Discussion, post: Post | None = None) -> str:
    url = reverse("community:discussion", args=[discussion.group.slug, discussion.pk])
    return f"{url}#post-{post.pk}" if post else url


MAX_MENTIONS = 20  # handles looked up per post


def mentioned(body: str, group: Group, *, author: Any) -> list[Any]:
    """The people an ``@handle`` names who are active members of the group (members read all of
    it); a handle of anyone else names nobody."""
    handles = sorted({handle.lower() for handle in MENTION.findall(body)})[:MAX_MENTIONS]
    if not handles:
        return []
    profiles = Profile.objects.filter(
        handle__in=handles,
        user__is_active=True,
        user__group_memberships__group=group,
        user__group_memberships__status=MembershipStatus.ACTIVE,
    ).select_related("user")
    return [profile.user for profile in profiles if profile.user_id != author.pk]


def _tell(post: Post, *, opening: bool) -> None:
    discussion, group, author = post.discussion, post.discussion.group, post.author
    told = {author.pk}
    named = mentioned(post.body, group, author=author)
    notify(
        named,
        source=f"mention:{post.pk}",
        kind="mention",
        group=group,
        title=_("%(name)s mentioned you in “%(title)s”")
        % {"name": author.display_name, "title": discussion.title},
        body=post.body[:500],
        url=discussion_url(discussion, post),
    )
    told |= {person.pk for person in named}
    if opening:
        audience, kind, source = selectors.active_members(group), "discussion", "discussion"
        title = _("New discussion in %(group)s: “%(title)s”")
    else:
        audience, kind, source = discussion_participants(discussion), "reply", "reply"
        title = _("%(name)s replied in “%(title)s”")
    notify(
        [person for person in audience if person.pk not in told],
        source=f"{source}:{post.pk}",
        kind=kind,
        group=group,
        body=post.body[:500],
        url=discussion_url(discussion, post),
        title=title % {"group": group.name, "title": discussion.title, "name": author.display_name},
    )


def discussion_participants(discussion: Discussion) -> Any:
    """Those who wrote in the discussion and are still members of its group."""
    return selectors.active_members(discussion.group).filter(
        pk__in=discussion.posts.values("author_id")
    )


def _new_post(discussion: Discussion, *, body: str, parent: Post | None, by) -> Post:
    return Post.objects.create(
        discussion=discussion,
        parent=parent,
        author=by,
        body=body,
        body_html=render_markdown(body),
        fingerprint=spam.fingerprint(body),
    )


@transaction.atomic
def start_discussion(group: Group, *, title: str, body: str, by) -> Discussion:
    title = title.strip()
    if not title:
        raise ValidationError(_("Give the discussion a title."))
    if len(title) > MAX_TITLE:
        raise ValidationError(_("Keep the title to %(n)s characters.") % {"n": MAX_TITLE})
    body = check_posting(by, body)
    now = timezone.now()
    discussion = Discussion.objects.create(group=group, title=title, author=by, last_post_at=now)
    post = _new_post(discussion, body=body, parent=None, by=by)
    Group.objects.filter(pk=group.pk).update(last_activity_at=now)
    _tell(post, opening=True)
    return discussion


@transaction.atomic
def reply(discussion: Discussion, *, body: str, by, parent: Post | None = None) -> Post:
    """Reply in a discussion: to the post ``parent``, or else to its opening post."""
    discussion = (
        Discussion.objects.select_for_update(of=("self",))
        .select_related("group")
        .get(pk=discussion.pk)
    )
    if discussion.status != ContentStatus.VISIBLE:
        raise ValidationError(_("This discussion is closed by the moderators."))
    if parent is not None and (
        parent.discussion_id != discussion.pk or parent.status != ContentStatus.VISIBLE
    ):
        raise ValidationError(_("The post you answer is not in this discussion any more."))
    body = check_posting(by, body)
    if parent is None:  # a reply to the discussion answers its opening post
        parent = discussion.posts.filter(parent__isnull=True).order_by("pk").first()
    post = _new_post(discussion, body=body, parent=parent, by=by)
    Discussion.objects.filter(pk=discussion.pk).update(
        last_post_at=post.created_at, reply_count=F("reply_count") + 1
    )
    Group.objects.filter(pk=discussion.group_id).update(last_activity_at=post.created_at)
    _tell(post, opening=False)
    return post
