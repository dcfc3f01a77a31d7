"""People's profiles for the directory and mentions, and the topics they follow."""

import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cityzero.community.languages import LANGUAGES
from cityzero.community.models import MAX_BIO, Profile, TopicFollow
from cityzero.knowledge.models import Tag

HANDLE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
MAX_EXPERTISE = 8
MAX_LANGUAGES = 10
MAX_FOLLOWED = 40
# Handles that would read as something else in a discussion.
RESERVED_HANDLES = frozenset({"all", "everyone", "here", "moderators", "staff", "admin", "me"})


def _free_handle(base: str) -> str:
    base = slugify(base)[:34].strip("-") or "member"
    if base in RESERVED_HANDLES:
        base = f"{base}-1"
    taken = set(Profile.objects.filter(handle__startswith=base).values_list("handle", flat=True))
    handle, n = base, 1
    while handle in taken:
        n += 1
        handle = f"{base}-{n}"
    return handle


def ensure_profile(user: Any) -> Profile:
    """The person's profile, made (hidden) the first time it is needed, with a handle from their
    name, or the part of their email address before the @."""
    existing = Profile.objects.filter(user=user).first()
    if existing is not None:
        return existing
    base = user.full_name or user.email.split("@")[0]
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return Profile.objects.create(user=user, handle=_free_handle(base))
        except IntegrityError:  # taken meanwhile by someone else: try the next one
            existing = Profile.objects.filter(user=user).first()
            if existing is not None:
                return existing
    raise ValidationError(_("No handle could be found for you; try again."))


@transaction.atomic
def update_profile(
    user: Any,
    *,
    visible: bool,
    handle: str,
    job_title: str,
    bio: str,
    languages: Iterable[str],
    expertise: Iterable[Tag],
) -> Profile:
    profile = ensure_profile(user)
    handle = handle.strip().lower().lstrip("@")
    languages, expertise = list(dict.fromkeys(languages)), list(expertise)
    problems = []
    if not HANDLE.match(handle):
        problems.append(
            _(
                "A handle has 1 to 40 small letters, digits and hyphens, like "
                "“erika-weber”; no hyphen at either end."
            )
        )
    elif handle in RESERVED_HANDLES:
        problems.append(
            _("“%(handle)s” is kept for the platform; choose another handle.") % {"handle": handle}
        )
    elif Profile.objects.filter(handle=handle).exclude(pk=profile.pk).exists():
        problems.append(_("Someone has the handle “%(handle)s” already.") % {"handle": handle})
    if len(bio.strip()) > MAX_BIO:
        problems.append(_("Keep the bio to %(n)s characters.") % {"n": MAX_BIO})
    if any(code not in LANGUAGES for code in languages) or len(languages) > MAX_LANGUAGES:
        problems.append(_("Choose up to %(n)s of the listed languages.") % {"n": MAX_LANGUAGES})
    if len(expertise) > MAX_EXPERTISE:
        problems.append(_("Choose up to %(n)s areas of expertise.") % {"n": MAX_EXPERTISE})
    if problems:
        raise ValidationError(problems)
    profile.visible = visible
    profile.handle = handle
    profile.job_title = job_title.strip()[:120]
    profile.bio = bio.strip()
    profile.language_codes = "," + ",".join(languages) + "," if languages else ""
    profile.save()
    profile.expertise.set(expertise)
    return profile


@transaction.atomic
def follow_topics(user: Any, tags: Iterable[Tag]) -> None:
    """Follow exactly these knowledge tags (others are unfollowed)."""
    chosen = {tag.pk: tag for tag in tags}
    if len(chosen) > MAX_FOLLOWED:
        raise ValidationError(_("Follow at most %(n)s topics.") % {"n": MAX_FOLLOWED})
    TopicFollow.objects.filter(user=user).exclude(tag_id__in=chosen).delete()
    kept = set(TopicFollow.objects.filter(user=user).values_list("tag_id", flat=True))
    TopicFollow.objects.bulk_create(
        TopicFollow(user=user, tag=tag) for pk, tag in chosen.items() if pk not in kept
    )
